"""The Today view of the chosen plan, and the plan chooser."""
