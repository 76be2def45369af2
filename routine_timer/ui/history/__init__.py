"""The History tab: sessions, figures and charts, and exports."""
