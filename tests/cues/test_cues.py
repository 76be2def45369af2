"""Cue output: which sound and which words each cue gets, the voice fallback, mute and volume."""

from __future__ import annotations

import importlib.util
import math
import struct
import subprocess
import sys
import wave
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QObject, Signal
from PySide6.QtTextToSpeech import QTextToSpeech

from routine_timer.core.engine import Cue, CueKind
from routine_timer.core.plan import Step, StepKind
from routine_timer.cues import Sound, create_cue_player, sound_for, words_for
from routine_timer.cues.sound import SoundCues
from routine_timer.cues.speech_thread import ThreadedSpeech, english_locale
from routine_timer.cues.voice import (
    NO_VOICE_REASON,
    NO_VOICE_REASON_LINUX,
    VoiceCues,
    no_voice_reason,
    pick_engine,
)
from routine_timer.paths import assets_dir
from routine_timer.settings import Settings
from tests.helpers.fakes import FakeSoundFactory

SOUNDS = assets_dir() / "sounds"

WORK = Step(index=1, kind=StepKind.WORK, start=5.0, duration=30.0, label="Plank")
MANUAL = Step(index=2, kind=StepKind.MANUAL, start=35.0, duration=0.0, label="Squat")
REST = Step(index=3, kind=StepKind.REST, start=35.0, duration=15.0, label="Rest")
SWITCH = Step(index=4, kind=StepKind.SWITCH, start=50.0, duration=5.0, label="Switch sides")


def cue(kind: CueKind, text: str = "", step: Step = WORK, count: int | None = None) -> Cue:
    return Cue(kind=kind, step=step, text=text, offset=0.0, due=0.0, count=count)


# --- the rules --------------------------------------------------------------


@pytest.mark.parametrize(
    ("played", "sound"),
    [
        (cue(CueKind.COUNTDOWN, "3", count=3), Sound.BEEP),
        (cue(CueKind.STEP_START, "Plank, 30 seconds"), Sound.START),
        (cue(CueKind.STEP_START, "Squat, 10 reps", step=MANUAL), Sound.START),
        (cue(CueKind.STEP_START, "Rest 15 seconds", step=REST), None),
        (cue(CueKind.STEP_END), Sound.END),
        (cue(CueKind.STEP_END, step=REST), None),
        (cue(CueKind.STEP_END, step=SWITCH), None),
        (cue(CueKind.REP, "1", count=1), Sound.TICK),
        (cue(CueKind.RELEASE, "Release"), Sound.TICK),
        (cue(CueKind.FINISHED, "Routine complete"), Sound.FINISH),
        (cue(CueKind.COACH, "Keep your hips level"), None),
        (cue(CueKind.HALFWAY, "Halfway"), None),
        (cue(CueKind.SAY, "Breathe"), None),
        (cue(CueKind.SWITCH_SIDES, "Switch sides", step=SWITCH), None),
    ],
)
def test_each_cue_gets_its_sound(played: Cue, sound: Sound | None) -> None:
    assert sound_for(played) == sound


@pytest.mark.parametrize(
    ("played", "words"),
    [
        (cue(CueKind.STEP_START, "Plank, 30 seconds"), "Plank, 30 seconds"),
        (cue(CueKind.COACH, "Keep your hips level"), "Keep your hips level"),
        (cue(CueKind.HALFWAY, "Halfway"), "Halfway"),
        (cue(CueKind.SAY, "  Breathe  "), "Breathe"),
        (cue(CueKind.SWITCH_SIDES, "Switch sides", step=SWITCH), "Switch sides"),
        (cue(CueKind.FINISHED, "Routine complete"), "Routine complete"),
        (cue(CueKind.COUNTDOWN, "3", count=3), None),
        (cue(CueKind.REP, "Rep 2, left", count=2), "Rep 2, left"),
        (cue(CueKind.RELEASE, "Release"), "Release"),
        (cue(CueKind.STEP_END), None),
        (cue(CueKind.SAY, "   "), None),
    ],
)
def test_what_is_spoken(played: Cue, words: str | None) -> None:
    assert words_for(played) == words


@pytest.mark.parametrize(
    ("available", "present", "picked"),
    [
        (["mock", "speechd"], True, "speechd"),
        (["mock", "speechd"], False, None),  # speechd's library is missing
        (["mock"], True, None),
        ([], True, None),
        (["sapi", "winrt", "mock"], True, "winrt"),
        (["someday", "darwin"], True, "darwin"),
        (["someday"], True, "someday"),
    ],
)
def test_pick_engine_prefers_real_engines_and_never_the_mock(
    available: list[str], present: bool, picked: str | None
) -> None:
    assert pick_engine(available, library_loads=lambda name: present) == picked


def test_no_voice_reason_points_linux_users_at_speech_dispatcher() -> None:
    assert no_voice_reason("linux") == NO_VOICE_REASON_LINUX
    assert "Install speech-dispatcher" in NO_VOICE_REASON_LINUX
    assert no_voice_reason("win32") == NO_VOICE_REASON == no_voice_reason("darwin")


def test_importing_the_cue_modules_loads_no_multimedia_or_speech() -> None:
    script = (
        "import sys\n"
        "import routine_timer.cues, routine_timer.cues.sound, routine_timer.cues.voice\n"
        "import routine_timer.cues.player\n"
        "print(sorted(m for m in sys.modules if m.startswith("
        "('PySide6.QtMultimedia', 'PySide6.QtTextToSpeech'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --- the sound files --------------------------------------------------------


def load_sound_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sounds", assets_dir() / "make_sounds.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_sounds_are_what_the_script_makes(tmp_path: Path) -> None:
    written = load_sound_script().write_sounds(tmp_path)
    assert sorted(path.name for path in written) == sorted(sound.value for sound in Sound)
    for path in written:
        assert (SOUNDS / path.name).read_bytes() == path.read_bytes(), path.name


@pytest.mark.parametrize("sound", list(Sound))
def test_sounds_are_short_loud_and_start_and_end_silent(sound: Sound) -> None:
    with wave.open(str(SOUNDS / sound.value)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 44100)
        frames = wav.readframes(wav.getnframes())
    samples = struct.unpack(f"<{len(frames) // 2}h", frames)
    assert 0.03 < len(samples) / 44100 < 1.0
    peak_dbfs = 20 * math.log10(max(abs(s) for s in samples) / 32767)
    target = -6.0 if sound is Sound.TICK else -1.0
    assert target - 0.5 < peak_dbfs < target + 0.5
    # Fades: no click at either end.
    assert abs(samples[0]) < 100 and abs(samples[-1]) < 100


# --- sounds -----------------------------------------------------------------


def test_sound_cues_play_the_mapped_file(qtbot) -> None:
    factory = FakeSoundFactory()
    sounds = SoundCues(SOUNDS, volume=0.5, factory=factory)
    assert sounds.available
    assert sorted(factory.effects) == sorted(s.value for s in Sound)
    assert {effect.volume for effect in factory.effects.values()} == {0.5}
    for played in (
        cue(CueKind.COUNTDOWN, "3", count=3),
        cue(CueKind.COACH, "Keep going"),
        cue(CueKind.STEP_END),
        cue(CueKind.REP, "1", count=1),
    ):
        sounds.play(played)
    assert factory.played() == ["beep.wav", "end.wav", "tick.wav"]


def test_a_start_sound_cuts_off_the_end_sound_still_ringing(qtbot) -> None:
    factory = FakeSoundFactory()
    sounds = SoundCues(SOUNDS, factory=factory)
    sounds.play(cue(CueKind.STEP_END))
    factory.log.clear()
    sounds.play(cue(CueKind.STEP_START, "Plank"))
    assert ("stop", "end.wav") in factory.log
    assert factory.log[-1] == ("play", "start.wav")


def test_a_missing_sound_file_costs_only_that_sound(qtbot, tmp_path: Path) -> None:
    (tmp_path / "beep.wav").write_bytes((SOUNDS / "beep.wav").read_bytes())
    factory = FakeSoundFactory()
    sounds = SoundCues(tmp_path, factory=factory)
    sounds.play(cue(CueKind.STEP_END))
    sounds.play(cue(CueKind.COUNTDOWN, "1", count=1))
    assert factory.played() == ["beep.wav"]


def test_real_sound_effects_load_only_when_there_is_an_audio_output(qtbot) -> None:
    from routine_timer.cues.sound import audio_output_present

    sounds = SoundCues(SOUNDS)
    assert sounds.available == audio_output_present()
    sounds.play(cue(CueKind.COUNTDOWN, "3", count=3))  # never raises, output or not
    sounds.silence()


# --- voice ------------------------------------------------------------------


class SpokenWords:
    """Collects the words a QTextToSpeech says."""

    def __init__(self, speech: QTextToSpeech) -> None:
        self.words: list[str] = []
        speech.sayingWord.connect(lambda word, *_: self.words.append(word))


def mock_speech(qtbot, **parameters: object) -> QTextToSpeech:
    speech = QTextToSpeech("mock", parameters)
    # The mock says a word every 100 ms at rate 0; go as fast as it allows.
    speech.setRate(1.0)
    return speech


def test_voice_speaks_through_the_engine(qtbot) -> None:
    voice = VoiceCues("mock")
    assert voice.available and voice.engine == "mock"
    said = SpokenWords(voice.speech)
    voice.play(cue(CueKind.COUNTDOWN, "3", count=3))  # not spoken
    voice.play(cue(CueKind.STEP_START, "Plank thirty seconds"))
    qtbot.waitUntil(lambda: said.words == ["Plank", "thirty", "seconds"])


def test_coaching_queues_behind_the_announcement(qtbot) -> None:
    voice = VoiceCues("mock")
    said = SpokenWords(voice.speech)
    voice.play(cue(CueKind.STEP_START, "Plank"))
    voice.play(cue(CueKind.COACH, "Hips level"))
    voice.play(cue(CueKind.SAY, "Breathe"))
    qtbot.waitUntil(lambda: said.words == ["Plank", "Hips", "level", "Breathe"])


def test_a_new_step_interrupts_stale_speech(qtbot) -> None:
    voice = VoiceCues("mock")
    said = SpokenWords(voice.speech)
    voice.play(cue(CueKind.SAY, "Keep breathing slowly and deeply"))
    voice.play(cue(CueKind.STEP_START, "Rest", step=REST))
    with qtbot.waitSignal(voice.speech.stateChanged, check_params_cb=_is_ready):
        pass
    assert said.words == ["Rest"]


def test_rep_calls_are_said_only_when_the_voice_is_quiet(qtbot) -> None:
    voice = VoiceCues("mock")
    said = SpokenWords(voice.speech)
    voice.play(cue(CueKind.STEP_START, "Twist"))
    voice.play(cue(CueKind.REP, "Rep 1", count=1))  # dropped: the announcement is still on
    with qtbot.waitSignal(voice.speech.stateChanged, check_params_cb=_is_ready):
        pass
    assert voice.quiet
    voice.play(cue(CueKind.REP, "Rep 2", count=2))
    with qtbot.waitSignal(voice.speech.stateChanged, check_params_cb=_is_ready):
        pass
    assert said.words == ["Twist", "Rep", "2"]


def _is_ready(state: QTextToSpeech.State) -> bool:
    return state == QTextToSpeech.State.Ready


def test_speech_waits_for_an_engine_that_starts_late(qtbot) -> None:
    voice = VoiceCues(tts=mock_speech(qtbot, delayedInitialization=True))
    assert voice.starting and not voice.available
    assert voice.unavailable_reason is None
    said = SpokenWords(voice.speech)
    voice.play(cue(CueKind.SAY, "Too old"))
    voice.play(cue(CueKind.STEP_START, "Plank"))  # supersedes what was waiting
    voice.play(cue(CueKind.COACH, "Hips level"))
    with qtbot.waitSignal(voice.available_changed) as ready:
        pass
    assert ready.args == [True]
    qtbot.waitUntil(lambda: said.words == ["Plank", "Hips", "level"])


def test_an_unknown_engine_means_no_voice_without_complaint(qtbot) -> None:
    voice = VoiceCues("no-such-engine")
    assert not voice.available and not voice.starting
    assert voice.unavailable_reason == no_voice_reason()
    voice.play(cue(CueKind.STEP_START, "Plank"))  # silently nothing
    voice.silence()


class BrokenSpeech(QObject):
    """Stands in for a QTextToSpeech whose engine starts, then fails (speechd with no daemon)."""

    stateChanged = Signal(object)  # noqa: N815 - the name QTextToSpeech uses

    def __init__(self) -> None:
        super().__init__()
        self._state = QTextToSpeech.State.Error
        self._reason = QTextToSpeech.ErrorReason.NoError
        self.said: list[str] = []

    def engine(self) -> str:
        return "broken"

    def state(self) -> QTextToSpeech.State:
        return self._state

    def errorReason(self) -> QTextToSpeech.ErrorReason:
        return self._reason

    def fail(self) -> None:
        self._reason = QTextToSpeech.ErrorReason.Initialization
        self.stateChanged.emit(QTextToSpeech.State.Error)

    def say(self, text: str) -> None:
        self.said.append(text)

    enqueue = say

    def setVolume(self, volume: float) -> None:
        pass


def test_an_engine_that_fails_while_starting_falls_back(qtbot) -> None:
    speech = BrokenSpeech()
    voice = VoiceCues(tts=speech)
    assert voice.starting
    voice.play(cue(CueKind.STEP_START, "Plank"))
    with qtbot.waitSignal(voice.available_changed) as failed:
        speech.fail()
    assert failed.args == [False]
    assert voice.unavailable_reason == no_voice_reason()
    voice.play(cue(CueKind.STEP_START, "Plank"))
    assert speech.said == []


def test_an_engine_that_never_gets_ready_is_given_up(qtbot) -> None:
    voice = VoiceCues(tts=BrokenSpeech(), start_timeout_ms=0)
    with qtbot.waitSignal(voice.available_changed) as gave_up:
        pass
    assert gave_up.args == [False]
    assert voice.unavailable_reason == no_voice_reason()


# --- the whole player -------------------------------------------------------


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "settings.ini")


def test_player_plays_sound_and_voice_for_a_step_start(qtbot, settings: Settings) -> None:
    factory = FakeSoundFactory()
    player = create_cue_player(settings, assets_dir(), voice_engine="mock", sound_factory=factory)
    assert player.voice is not None and player.voice.available
    assert player.voice_unavailable_reason is None
    said = SpokenWords(player.voice.speech)
    player.play(cue(CueKind.STEP_START, "Plank now"))
    player.play(cue(CueKind.COUNTDOWN, "3", count=3))
    assert factory.played() == ["start.wav", "beep.wav"]
    qtbot.waitUntil(lambda: said.words == ["Plank", "now"])


def test_player_falls_back_to_sounds_and_says_why(qtbot, settings: Settings) -> None:
    factory = FakeSoundFactory()
    player = create_cue_player(
        settings, assets_dir(), voice_engine="no-such-engine", sound_factory=factory
    )
    assert player.voice_unavailable_reason == no_voice_reason()
    player.play(cue(CueKind.STEP_START, "Plank"))
    player.play(cue(CueKind.FINISHED, "Routine complete"))
    assert factory.played() == ["start.wav", "finish.wav"]


def test_player_starts_no_voice_engine_while_voice_is_off(qtbot, settings: Settings) -> None:
    settings.voice = False
    player = create_cue_player(
        settings, assets_dir(), voice_engine="no-such-engine", sound_factory=FakeSoundFactory()
    )
    assert player.voice is None
    assert player.voice_unavailable_reason is None
    reasons: list[str | None] = []
    player.voiceUnavailableChanged.connect(reasons.append)
    settings.voice = True  # turned on later: now it looks, and finds none
    assert player.voice is not None
    assert player.voice_unavailable_reason == no_voice_reason()
    assert reasons == [no_voice_reason()]  # for a settings dialog that is open


def test_player_follows_volume(qtbot, settings: Settings) -> None:
    settings.volume = 0.6
    factory = FakeSoundFactory()
    player = create_cue_player(settings, assets_dir(), voice_engine="mock", sound_factory=factory)
    assert player.voice is not None
    assert {e.volume for e in factory.effects.values()} == {0.6}
    assert player.voice.speech.volume() == pytest.approx(0.6)
    settings.volume = 0.2
    assert {e.volume for e in factory.effects.values()} == {0.2}
    assert player.voice.speech.volume() == pytest.approx(0.2)


def test_muted_player_plays_nothing_and_cuts_off_what_plays(qtbot, settings: Settings) -> None:
    factory = FakeSoundFactory()
    player = create_cue_player(settings, assets_dir(), voice_engine="mock", sound_factory=factory)
    assert player.voice is not None
    speech = player.voice.speech
    player.play(cue(CueKind.STEP_START, "Plank for thirty seconds"))
    assert speech.state() == QTextToSpeech.State.Speaking
    factory.log.clear()
    settings.muted = True
    assert speech.state() == QTextToSpeech.State.Ready
    assert {name for action, name in factory.log if action == "stop"} == {s.value for s in Sound}
    player.play(cue(CueKind.COUNTDOWN, "3", count=3))
    player.play(cue(CueKind.SAY, "Breathe"))
    assert factory.played() == []
    assert speech.state() == QTextToSpeech.State.Ready
    settings.muted = False
    player.play(cue(CueKind.COUNTDOWN, "2", count=2))
    assert factory.played() == ["beep.wav"]


def test_sounds_off_keeps_the_voice_and_voice_off_keeps_the_sounds(
    qtbot, settings: Settings
) -> None:
    factory = FakeSoundFactory()
    player = create_cue_player(settings, assets_dir(), voice_engine="mock", sound_factory=factory)
    assert player.voice is not None
    speech = player.voice.speech
    settings.sounds = False
    player.play(cue(CueKind.STEP_START, "Plank"))
    assert factory.played() == []
    assert speech.state() == QTextToSpeech.State.Speaking
    settings.voice = False
    assert speech.state() == QTextToSpeech.State.Ready
    settings.sounds = True
    player.play(cue(CueKind.STEP_START, "Plank"))
    assert factory.played() == ["start.wav"]
    assert speech.state() == QTextToSpeech.State.Ready


def test_silence_stops_sounds_and_speech(qtbot, settings: Settings) -> None:
    factory = FakeSoundFactory()
    player = create_cue_player(settings, assets_dir(), voice_engine="mock", sound_factory=factory)
    assert player.voice is not None
    player.play(cue(CueKind.STEP_START, "Plank for thirty seconds"))
    player.silence()
    assert player.voice.speech.state() == QTextToSpeech.State.Ready
    assert ("stop", "start.wav") in factory.log


# --- the engine in its own thread ---------------------------------------------


@pytest.fixture
def threaded(qtbot):
    """Makes ThreadedSpeech objects and ends their threads after the test."""
    made: list[ThreadedSpeech] = []

    def make(engine: str = "mock") -> ThreadedSpeech:
        made.append(ThreadedSpeech(engine))
        return made[-1]

    yield make
    for speech in made:
        speech.close()


def test_threaded_speech_starts_in_the_background_and_speaks(qtbot, threaded) -> None:
    speech = threaded()
    assert speech.state() == QTextToSpeech.State.Error  # not started yet...
    assert speech.errorReason() == QTextToSpeech.ErrorReason.NoError  # ...which is no error
    with qtbot.waitSignal(speech.stateChanged):
        pass
    assert speech.state() == QTextToSpeech.State.Ready
    words: list[str] = []
    speech.sayingWord.connect(lambda word, *_: words.append(word))
    speech.say("Plank")
    assert speech.state() == QTextToSpeech.State.Speaking  # busy at once, not when it starts
    speech.enqueue("Hips level")
    qtbot.waitUntil(lambda: words == ["Plank", "Hips", "level"])
    qtbot.waitUntil(lambda: speech.state() == QTextToSpeech.State.Ready)


def test_threaded_speech_stops_on_request(qtbot, threaded) -> None:
    speech = threaded()
    qtbot.waitUntil(lambda: speech.state() == QTextToSpeech.State.Ready)
    speech.setVolume(0.3)
    assert speech.volume() == 0.3
    words: list[str] = []
    speech.sayingWord.connect(lambda word, *_: words.append(word))
    speech.say("one two three four five six seven eight nine ten")
    qtbot.waitUntil(lambda: words == ["one"])
    with qtbot.waitSignal(speech.stateChanged, check_params_cb=_is_ready):
        speech.stop()
    assert len(words) < 10


def test_voice_cues_through_a_threaded_engine(qtbot, threaded) -> None:
    speech = threaded()
    voice = VoiceCues(tts=speech, volume=0.5)
    assert voice.starting
    words: list[str] = []
    speech.sayingWord.connect(lambda word, *_: words.append(word))
    voice.play(cue(CueKind.STEP_START, "Plank"))
    with qtbot.waitSignal(voice.available_changed):
        pass
    assert speech.volume() == 0.5
    qtbot.waitUntil(lambda: words == ["Plank"])


def test_closing_before_the_engine_started_is_harmless(qtbot) -> None:
    speech = ThreadedSpeech("mock")
    speech.close()
    speech.close()
    QCoreApplication.processEvents()  # a start report already queued is ignored
    assert speech.state() == QTextToSpeech.State.Error


def test_english_is_chosen_for_the_english_cue_texts() -> None:
    english_gb = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    english_us = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    finnish = QLocale(QLocale.Language.Finnish, QLocale.Country.Finland)
    c_locale = QLocale.c()
    assert english_locale(english_gb, [english_gb, finnish]) is None  # already English
    assert english_locale(finnish, [finnish]) is None  # no English voice: leave it
    chosen = english_locale(c_locale, [finnish, english_gb, english_us])
    assert chosen is not None and chosen.language() == QLocale.Language.English
    if QLocale.system().territory() != QLocale.Country.UnitedKingdom:
        assert chosen == english_us
    assert english_locale(finnish, [finnish, english_gb]) == english_gb


def test_the_voice_switches_an_engine_to_english(qtbot) -> None:
    speech = QTextToSpeech("mock")
    speech.setLocale(QLocale(QLocale.Language.Finnish, QLocale.Country.Finland))
    VoiceCues(tts=speech)
    assert speech.locale().language() == QLocale.Language.English


def test_a_player_that_is_gone_no_longer_follows_the_settings(qtbot, settings: Settings) -> None:
    owner = QObject()
    factory = FakeSoundFactory()
    create_cue_player(settings, assets_dir(), owner, voice_engine="mock", sound_factory=factory)
    owner.deleteLater()
    with qtbot.waitSignal(owner.destroyed):
        pass
    settings.volume = 0.3  # would reach a deleted player, and fail, if it still listened
    settings.muted = True
