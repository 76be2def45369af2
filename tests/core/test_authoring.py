"""Creating routine files: the template, duplicates, imports and atomic writes."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from routine_timer.core import authoring
from routine_timer.core.authoring import (
    COPY_SUFFIX,
    SCHEMA_FILE_NAME,
    AuthoringError,
    ImportClashError,
    ImportRefusedError,
    atomic_write_text,
    check_import,
    duplicate_routine,
    import_routine,
    new_routine_file,
    set_top_level_value,
    template_path,
)
from routine_timer.core.library import load_entry
from routine_timer.core.loader import load_routine, parse_routine
from routine_timer.core.model import Exercise, Sides
from routine_timer.core.plan import build_timeline
from routine_timer.paths import bundled_routines_dir, schema_path


def same_exercises(a: Path, b: Path) -> bool:
    """The same exercises, wherever they stand in their files."""

    def unplaced(exercise: Exercise | None) -> Exercise | None:
        if exercise is None:
            return None
        return dataclasses.replace(
            exercise,
            line=0,
            easier_variation=unplaced(exercise.easier_variation),
            harder_variation=unplaced(exercise.harder_variation),
        )

    def strip(path: Path) -> list[object]:
        return [unplaced(e) for e in load_routine(path).exercises]

    return strip(a) == strip(b)


VALID = "name: Plank\nexercises:\n  - name: Plank\n    time: 30s\n"


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    return tmp_path / "data" / "routines"


def files_in(folder: Path) -> list[str]:
    if not folder.exists():
        return []
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*"))


# --- the template -------------------------------------------------------------


def test_the_template_is_a_valid_routine_as_it_is() -> None:
    routine = load_routine(template_path())
    assert routine.id == "my-routine"
    assert build_timeline(routine).total_seconds > 0


def test_the_template_shows_every_feature_of_the_format() -> None:
    text = template_path().read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema={SCHEMA_FILE_NAME}\n")
    document = yaml.safe_load(text)
    top = {"format", "name", "id", "description", "tags", "prepare", "rest", "rounds"}
    assert top | {"round_rest", "exercises"} <= set(document)
    exercise_keys = set().union(*(set(exercise) for exercise in document["exercises"]))
    every = {"name", "time", "reps", "hold", "release", "rep_time", "sets", "sides", "switch"}
    every |= {"rest", "rest_after", "cues", "say", "easier", "harder"}
    assert every <= exercise_keys
    # The picture is shown as a comment: a real one would need the file beside it.
    assert "# image: " in text
    routine = load_routine(template_path())
    kinds = {
        (e.sides, e.time is not None, e.hold is not None, e.rep_time is not None)
        for e in routine.exercises
    }
    assert (Sides.BOTH, True, False, False) in kinds  # timed holds on each side
    assert (Sides.ALTERNATE, False, True, False) in kinds  # alternating held reps
    assert (None, False, False, True) in kinds  # paced reps
    assert any(not e.is_timed for e in routine.exercises)  # untimed reps
    assert routine.rounds > 1
    assert any(e.say for e in routine.exercises)
    # Format 2: say counted from the end, a variation, a per-set list, and blocks.
    assert routine.format == 2
    assert any(say.left for e in routine.exercises for say in e.say)
    assert any(e.easier_variation for e in routine.exercises)
    assert any(e.per_set for e in routine.exercises)
    assert "# blocks:" in text
    assert all(line.startswith("#") or not line.strip() for line in text.splitlines()[:10])


def test_the_template_passes_the_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    document = yaml.safe_load(template_path().read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)


# --- new routine --------------------------------------------------------------


def test_new_routine_gets_a_fresh_id_and_file_name(user_dir: Path) -> None:
    first = new_routine_file(user_dir, "Hip openers!")
    second = new_routine_file(user_dir, "Hip openers!")
    assert first.name == "hip-openers.yaml"
    assert second.name == "hip-openers-2.yaml"
    assert load_routine(first).id == "hip-openers"
    assert load_routine(second).id == "hip-openers-2"
    assert load_routine(second).name == "Hip openers!"
    # The comments of the template are kept.
    assert "# Untimed reps" in second.read_text(encoding="utf-8")


def test_new_routine_avoids_bundled_ids(user_dir: Path) -> None:
    path = new_routine_file(user_dir, "Runners daily core")
    assert path.name == "runners-daily-core-2.yaml"


def test_new_routine_writes_the_schema_beside_it(user_dir: Path) -> None:
    new_routine_file(user_dir)
    schema = user_dir / SCHEMA_FILE_NAME
    assert schema.read_text(encoding="utf-8") == schema_path().read_text(encoding="utf-8")
    assert files_in(user_dir) == ["my-routine.yaml", SCHEMA_FILE_NAME]


@pytest.mark.parametrize(
    ("folder", "reference"),
    [
        ("", SCHEMA_FILE_NAME),
        ("strength", f"../{SCHEMA_FILE_NAME}"),
        ("physio/week 2", f"../../{SCHEMA_FILE_NAME}"),
    ],
)
def test_a_new_routine_points_at_the_one_schema_from_its_folder(
    user_dir: Path, folder: str, reference: str
) -> None:
    path = new_routine_file(user_dir, "Plank", folder=user_dir / folder)
    assert path.parent == user_dir / folder
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == f"# yaml-language-server: $schema={reference}"
    # The path is relative to the file, and leads to the schema at the top.
    schema = (path.parent / reference).resolve()
    assert schema == (user_dir / SCHEMA_FILE_NAME).resolve()
    assert schema.read_bytes() == schema_path().read_bytes()
    assert [name for name in files_in(user_dir) if name.endswith(".json")] == [SCHEMA_FILE_NAME]


def test_a_copy_in_a_sub_folder_points_at_the_schema_above(user_dir: Path) -> None:
    source = bundled_routines_dir() / "glute-bridges.yaml"
    copy = duplicate_routine(source, user_dir, folder=user_dir / "mine")
    lines = copy.read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"# yaml-language-server: $schema=../{SCHEMA_FILE_NAME}"
    assert lines[1:3] == source.read_text(encoding="utf-8").splitlines()[1:3]
    assert load_routine(copy).id == "glute-bridges-copy"


def test_a_modeline_naming_another_schema_is_left_alone(tmp_path: Path, user_dir: Path) -> None:
    source = tmp_path / "mine.yaml"
    source.write_text("# yaml-language-server: $schema=https://example.org/s.json\n" + VALID)
    copy = duplicate_routine(source, user_dir, folder=user_dir / "sub")
    assert copy.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=https:")


def test_a_folder_outside_the_routines_folder_is_refused(tmp_path: Path, user_dir: Path) -> None:
    with pytest.raises(AuthoringError, match="not inside your routines folder"):
        new_routine_file(user_dir, "Plank", folder=tmp_path / "elsewhere")
    assert not (tmp_path / "elsewhere").exists()


def test_new_routine_with_an_awkward_name_is_quoted(user_dir: Path) -> None:
    path = new_routine_file(user_dir, "Core: #1 'hard'")
    routine = load_routine(path)
    assert routine.name == "Core: #1 'hard'"
    assert routine.id == "core-1-hard"


def test_new_routine_with_a_name_of_no_letters(user_dir: Path) -> None:
    path = new_routine_file(user_dir, "!!!")
    assert load_routine(path).id == "routine"


# --- duplicate ----------------------------------------------------------------


def test_duplicate_keeps_the_text_under_a_fresh_id(user_dir: Path) -> None:
    source = bundled_routines_dir() / "runners-daily-core.yaml"
    before = source.read_bytes()
    copy = duplicate_routine(source, user_dir)
    assert source.read_bytes() == before
    assert copy.parent == user_dir
    routine = load_routine(copy)
    original = load_routine(source)
    assert routine.id == "runners-daily-core-copy" != original.id
    assert routine.name == original.name + COPY_SUFFIX
    assert same_exercises(copy, source)
    text = copy.read_text(encoding="utf-8")
    comments = [line for line in before.decode().splitlines() if line.lstrip().startswith("#")]
    assert comments and all(line in text.splitlines() for line in comments)
    # Only the id line was added and the name changed.
    added = set(text.splitlines()) - set(before.decode().splitlines())
    assert added == {"id: runners-daily-core-copy", f"name: {routine.name}"}
    again = duplicate_routine(source, user_dir)
    assert load_routine(again).id == "runners-daily-core-copy-2"


@pytest.mark.parametrize("source", sorted(bundled_routines_dir().glob("*.yaml")), ids=str)
def test_every_bundled_routine_can_be_duplicated(source: Path, user_dir: Path) -> None:
    copy = duplicate_routine(source, user_dir)
    assert same_exercises(copy, source)


def test_duplicate_replaces_an_explicit_id_and_a_block_name(tmp_path: Path) -> None:
    source = tmp_path / "mine.yaml"
    source.write_text(
        "# mine\nid: core-7  # keep\nname: >-\n  Long\n  name\nexercises:\n"
        "  - name: A\n    time: 5\n",
        encoding="utf-8",
    )
    copy = duplicate_routine(source, tmp_path / "routines")
    text = copy.read_text(encoding="utf-8")
    assert text.startswith("# mine\nid: core-7-copy  # keep\nname: Long name (my copy)\n")
    assert load_routine(copy).id == "core-7-copy"


def test_set_top_level_value_in_a_flow_mapping() -> None:
    text = "{name: A, exercises: [{name: B, time: 5}]}\n"
    changed = set_top_level_value(text, "id", "b")
    assert parse_routine(changed, "x.yaml").id == "b"


def test_duplicate_of_an_invalid_file_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "bad.yaml"
    source.write_text("name: Bad\n", encoding="utf-8")
    with pytest.raises(AuthoringError, match="missing key 'exercises'"):
        duplicate_routine(source, tmp_path / "routines")
    assert files_in(tmp_path / "routines") == []


def test_duplicate_copies_the_pictures(tmp_path: Path) -> None:
    folder = tmp_path / "src"
    (folder / "pics").mkdir(parents=True)
    (folder / "pics" / "plank.png").write_bytes(b"png")
    source = folder / "p.yaml"
    source.write_text(VALID + "    image: pics/plank.png\n", encoding="utf-8")
    copy = duplicate_routine(source, tmp_path / "routines")
    assert (copy.parent / "pics" / "plank.png").read_bytes() == b"png"
    assert load_routine(copy).exercises[0].image == copy.parent / "pics" / "plank.png"


# --- import -------------------------------------------------------------------


def test_import_copies_a_valid_file(tmp_path: Path, user_dir: Path) -> None:
    source = tmp_path / "plank.yml"
    source.write_bytes(b"# comment\r\n" + VALID.replace("\n", "\r\n").encode())
    check = check_import(source, user_dir)
    assert check.valid and not check.clashes and not check.errors
    target = import_routine(source, user_dir)
    assert target == user_dir / "plank.yml"
    assert target.read_bytes() == source.read_bytes()
    assert load_routine(target).id == "plank"


BROKEN = "name: Bad\nexercises:\n  - name: A\n    hodl: 5\n"


def test_an_invalid_file_is_imported_to_be_fixed(tmp_path: Path, user_dir: Path) -> None:
    source = tmp_path / "bad.yaml"
    source.write_bytes(BROKEN.replace("\n", "\r\n").encode("utf-8"))
    check = check_import(source, user_dir)
    assert not check.valid and check.importable and not check.clashes
    assert [(e.line, e.col) for e in check.errors] == [(3, 5), (4, 5)]
    assert check.message == (
        "bad.yaml has 2 problems; it can be imported as bad.yaml to fix them in the "
        "editor, and started once fixed."
    )
    target = import_routine(source, user_dir)
    assert target == user_dir / "bad.yaml"
    assert target.read_bytes() == source.read_bytes()  # exactly as written, to be fixed
    entry = load_entry(target)
    assert not entry.valid
    assert [(e.line, e.col) for e in entry.errors] == [(3, 5), (4, 5)]


def test_an_invalid_file_follows_the_same_clash_rules(tmp_path: Path, user_dir: Path) -> None:
    user_dir.mkdir(parents=True)
    (user_dir / "bad.yaml").write_text(VALID, encoding="utf-8")
    (user_dir / "other.yaml").write_text("id: shared\n" + VALID, encoding="utf-8")
    source = tmp_path / "bad.yaml"
    source.write_text("id: shared\n" + BROKEN, encoding="utf-8")
    check = check_import(source, user_dir)
    # The same name, and the same id (read from the text, although the file is invalid).
    assert check.replaces == (user_dir / "bad.yaml", user_dir / "other.yaml")
    with pytest.raises(ImportClashError):
        import_routine(source, user_dir)
    assert (user_dir / "bad.yaml").read_text(encoding="utf-8") == VALID
    import_routine(source, user_dir, replace=True)
    assert files_in(user_dir) == ["bad.yaml", SCHEMA_FILE_NAME]
    assert (user_dir / "bad.yaml").read_text(encoding="utf-8") == source.read_text("utf-8")
    # An id that belongs to a bundled routine is refused, valid or not.
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "glutes.yaml").write_text(VALID, encoding="utf-8")
    source.write_text("id: glutes\n" + BROKEN, encoding="utf-8")
    refused = check_import(source, user_dir, bundled_dir=bundled)
    assert not refused.importable and "bundled routine glutes.yaml" in refused.message
    # Unreadable YAML: its id is its file name, as the library counts it.
    source.write_text("name: [unclosed\n", encoding="utf-8")
    (bundled / "bad.yaml").write_text(VALID, encoding="utf-8")
    assert "its id 'bad' belongs" in check_import(source, user_dir, bundled_dir=bundled).message


def test_an_invalid_file_brings_its_pictures(tmp_path: Path, user_dir: Path) -> None:
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "a.png").write_bytes(b"png")
    source = tmp_path / "bad.yaml"
    source.write_text(
        BROKEN + "    image: pics/a.png\n  - name: B\n    image: missing.png\n",
        encoding="utf-8",
    )
    check = check_import(source, user_dir)
    assert check.errors and check.importable
    assert check.pictures == (((tmp_path / "pics" / "a.png").resolve(), user_dir / "pics/a.png"),)
    import_routine(source, user_dir)
    assert (user_dir / "pics" / "a.png").read_bytes() == b"png"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"name: caf\xe9\n", "it is not UTF-8 text"),
        (b"name: X\n" + b"#" * (1024 * 1024), "larger than a routine file may be"),
    ],
)
def test_a_file_that_cannot_be_fixed_in_the_editor_is_refused(
    tmp_path: Path, user_dir: Path, data: bytes, reason: str
) -> None:
    source = tmp_path / "bad.yaml"
    source.write_bytes(data)
    check = check_import(source, user_dir)
    assert not check.importable and reason in check.message
    with pytest.raises(ImportRefusedError):
        import_routine(source, user_dir)
    assert files_in(user_dir) == []


def test_a_file_that_is_not_yaml_is_refused(tmp_path: Path, user_dir: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_text(VALID, encoding="utf-8")
    with pytest.raises(ImportRefusedError, match=r"\.yaml and \.yml"):
        import_routine(source, user_dir)
    assert files_in(user_dir) == []


def test_a_clash_of_file_names_asks_before_replacing(tmp_path: Path, user_dir: Path) -> None:
    user_dir.mkdir(parents=True)
    existing = user_dir / "plank.yaml"
    existing.write_text("name: Old\nexercises:\n  - name: A\n    time: 5\n", encoding="utf-8")
    source = tmp_path / "plank.yaml"
    source.write_text(VALID, encoding="utf-8")
    check = check_import(source, user_dir)
    assert check.valid and check.replaces == (existing,)
    assert "would replace plank.yaml" in check.message
    with pytest.raises(ImportClashError):
        import_routine(source, user_dir)
    assert load_routine(existing).name == "Old"
    import_routine(source, user_dir, replace=True)
    assert existing.read_text(encoding="utf-8") == VALID


def test_a_clash_of_ids_replaces_the_other_file(tmp_path: Path, user_dir: Path) -> None:
    user_dir.mkdir(parents=True)
    other = user_dir / "old name.yaml"
    other.write_text("id: plank\n" + VALID, encoding="utf-8")
    source = tmp_path / "plank.yaml"
    source.write_text(VALID, encoding="utf-8")
    check = check_import(source, user_dir)
    assert check.replaces == (other,)
    with pytest.raises(ImportClashError):
        import_routine(source, user_dir)
    assert other.exists()
    target = import_routine(source, user_dir, replace=True)
    assert files_in(user_dir) == ["plank.yaml", SCHEMA_FILE_NAME]
    assert load_routine(target).id == "plank"


def test_a_bundled_id_cannot_be_imported(tmp_path: Path, user_dir: Path) -> None:
    source = tmp_path / "glute-bridges.yaml"
    source.write_text(VALID, encoding="utf-8")
    check = check_import(source, user_dir)
    assert check.refusal is not None and "bundled" in check.refusal
    with pytest.raises(ImportRefusedError):
        import_routine(source, user_dir, replace=True)
    assert files_in(user_dir) == []


def test_importing_a_file_already_in_the_folder_is_refused(user_dir: Path) -> None:
    user_dir.mkdir(parents=True)
    source = user_dir / "plank.yaml"
    source.write_text(VALID, encoding="utf-8")
    with pytest.raises(ImportRefusedError, match="already in your routines"):
        import_routine(source, user_dir, replace=True)
    assert source.read_text(encoding="utf-8") == VALID


def test_import_brings_the_pictures_along(tmp_path: Path, user_dir: Path) -> None:
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "a.png").write_bytes(b"new")
    source = tmp_path / "plank.yaml"
    source.write_text(VALID + "    image: pics/a.png\n", encoding="utf-8")
    (user_dir / "pics").mkdir(parents=True)
    (user_dir / "pics" / "a.png").write_bytes(b"old")
    check = check_import(source, user_dir)
    assert check.replaces == (user_dir / "pics" / "a.png",)
    import_routine(source, user_dir, replace=True)
    assert (user_dir / "pics" / "a.png").read_bytes() == b"new"
    assert load_routine(user_dir / "plank.yaml").exercises[0].image is not None


# --- atomic writes ------------------------------------------------------------


class InterruptedSaveError(Exception):
    pass


def test_atomic_write_replaces_the_file_exactly(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(b"old\n")
    os.chmod(path, 0o640)
    atomic_write_text(path, "new\r\n# é\n")
    assert path.read_bytes() == "new\r\n# é\n".encode()
    assert (path.stat().st_mode & 0o777) == 0o640 or os.name == "nt"
    assert files_in(tmp_path) == ["r.yaml"]


def test_an_interrupted_save_leaves_the_old_file_intact(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(b"name: old\r\n# keep me\n")
    before = path.read_bytes()
    seen: list[Path] = []

    def crash(temp: Path) -> None:
        seen.append(temp)
        assert temp.parent == tmp_path
        assert temp.read_bytes() == b"name: new\n"  # written in full before the replace
        raise InterruptedSaveError

    with pytest.raises(InterruptedSaveError):
        atomic_write_text(path, "name: new\n", before_replace=crash)
    assert seen
    assert path.read_bytes() == before
    assert files_in(tmp_path) == ["r.yaml"]


def test_an_interrupted_first_save_leaves_nothing(tmp_path: Path) -> None:
    def crash(temp: Path) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(tmp_path / "new.yaml", "x", before_replace=crash)
    assert files_in(tmp_path) == []


def test_a_failing_replace_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("old", encoding="utf-8")

    def no_space(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(OSError, match="No space"):
        atomic_write_text(path, "new")
    assert path.read_text(encoding="utf-8") == "old"
    assert files_in(tmp_path) == ["r.yaml"]


# --- places and names that are hard to use -------------------------------------

LONG_STEM = "a" * 245  # with ".yaml", a 250-byte name: allowed, but no room to spare


def test_a_file_named_near_the_limit_can_be_saved_and_imported(
    tmp_path: Path, user_dir: Path
) -> None:
    source = tmp_path / f"{LONG_STEM}.yaml"
    source.write_text(VALID, encoding="utf-8")
    atomic_write_text(source, VALID + "# saved\n")
    assert source.read_text(encoding="utf-8").endswith("# saved\n")
    imported = import_routine(source, user_dir)
    assert imported.name == source.name
    assert load_routine(imported).name == "Plank"
    assert [name for name in os.listdir(user_dir) if name.endswith(".tmp")] == []


def test_a_copy_of_a_routine_with_a_long_id_gets_a_name_that_fits(
    tmp_path: Path, user_dir: Path
) -> None:
    source = tmp_path / "long.yaml"
    source.write_text(f"id: {'x' * 250}\n{VALID}", encoding="utf-8")
    for _ in range(2):  # the second copy needs a number as well
        copy = duplicate_routine(source, user_dir)
        assert len(os.fsencode(copy.name)) <= authoring.NAME_MAX
        assert load_routine(copy).id == copy.stem


def test_fit_name_cuts_between_characters() -> None:
    name = authoring.fit_name("é" * 200, ".yaml")
    assert len(name.encode()) <= authoring.NAME_MAX
    assert name.endswith("é.yaml")
    assert authoring.fit_name("short", ".yaml") == "short.yaml"


def test_a_schema_that_cannot_be_written_does_not_stop_new_or_import(
    tmp_path: Path, user_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (user_dir / SCHEMA_FILE_NAME).mkdir(parents=True)  # a folder where the file goes
    new = new_routine_file(user_dir, "Plank")
    assert load_routine(new).name == "Plank"
    source = tmp_path / "other.yaml"
    source.write_text(VALID.replace("Plank", "Other", 1), encoding="utf-8")
    assert import_routine(source, user_dir).is_file()
    assert f"{SCHEMA_FILE_NAME} not written: it is a folder, not a file" in caplog.text


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_schema_replaced_by_a_pipe_is_left_alone(
    user_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    user_dir.mkdir(parents=True)
    pipe = user_dir / SCHEMA_FILE_NAME
    os.mkfifo(pipe)
    with pipe_writer(pipe):
        assert new_routine_file(user_dir, "Plank").is_file()
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert "not a regular file" in caplog.text


@contextlib.contextmanager
def pipe_writer(pipe: Path) -> Iterator[None]:
    """Something writing into ``pipe`` meanwhile, so a plain read gets text instead of hanging.

    Code that reads files the user picked must see a pipe and leave it alone;
    code that does not gets text (and fails its test) rather than waiting forever.
    """
    # The same pipe under a second name: the writer can be let go even if the
    # first name has been given to a new file meanwhile.
    keep = pipe.with_name(f"{pipe.name}.keep")
    os.link(pipe, keep)
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set():
            fd = os.open(pipe, os.O_WRONLY)  # waits for a reader
            try:
                if not stat.S_ISFIFO(os.fstat(fd).st_mode):  # a file by now: leave it be
                    return
                os.write(fd, b"{}")
            except BrokenPipeError:
                pass
            finally:
                os.close(fd)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        with open(os.open(keep, os.O_RDONLY | os.O_NONBLOCK), "rb"):
            thread.join(timeout=10)
        keep.unlink()
    assert not thread.is_alive()


def test_an_unreadable_picture_refuses_the_import_in_plain_words(
    tmp_path: Path, user_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pics").mkdir()
    picture = tmp_path / "pics" / "a.png"
    picture.write_bytes(b"png")
    source = tmp_path / "plank.yaml"
    source.write_text(VALID + "    image: pics/a.png\n", encoding="utf-8")
    # Root reads any file, so the refusal is staged: it works the same for everyone.
    real_open = os.open

    def refuse(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if Path(os.fsdecode(path)) == picture:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    check = check_import(source, user_dir)
    assert not check.importable
    assert check.message == (
        "plank.yaml was not imported: its picture a.png cannot be read (permission denied)"
    )
    with pytest.raises(ImportRefusedError):
        import_routine(source, user_dir)
    assert files_in(user_dir) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_read_user_file_never_waits_on_a_pipe(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    with pytest.raises(authoring.NotAFileError, match="not a regular file"):
        authoring.read_user_file(tmp_path / "pipe.yaml")
    with pytest.raises(IsADirectoryError, match="a folder, not a file"):
        authoring.read_user_file(tmp_path)


@pytest.mark.parametrize("size", [3_000, 5_000])
def test_read_user_file_reads_a_file_that_grew_since_it_was_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    path = tmp_path / "growing.yaml"
    path.write_bytes(bytes(range(256)) * 20)  # 5,120 bytes
    inode = path.stat().st_ino
    real_fstat = os.fstat

    def opened_when_small(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        if info.st_ino != inode:
            return info
        fields = list(info[:10])
        fields[stat.ST_SIZE] = 100  # what it held when it was opened
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", opened_when_small)
    # All of it within the limit; past the limit, one byte more than the limit.
    expected = path.read_bytes()[: size + 1]
    assert authoring.read_user_file(path, max_bytes=size) == expected
