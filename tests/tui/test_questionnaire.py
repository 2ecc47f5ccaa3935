"""The questionnaire as a facilitator uses it: keys only, 80x24, the result live at the bottom."""

from __future__ import annotations

import json
import subprocess
import sys
import typing

import pytest
from tests.tui.helpers import decided, screen_text, wait_for
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Select, Switch

from advisor.core.profile.model import Profile
from advisor.tui.app import AdvisorApp, create_app
from advisor.tui.questions import (
    empty_hint,
    from_text,
    same_value,
    section_model,
    to_text,
)
from advisor.tui.screens.questionnaire import QuestionBox, QuestionnaireScreen
from advisor.tui.screens.results import ResultsScreen
from advisor.tui.steps import STEPS, all_questions

SECTIONS = (
    "workload",
    "api",
    "traffic",
    "latency",
    "data",
    "team",
    "needs",
    "self_host",
    "horizon",
)


# -- the questions as data (no Textual) -----------------------------------------------------------


def test_the_questions_import_without_textual() -> None:
    code = (
        "import sys, json\nimport advisor.tui.steps as s\n"
        "assert s.STEPS\nprint(json.dumps(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"ADVISOR_TODAY": "2026-11-26", "PATH": ""},
    )
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert not [m for m in loaded if m.split(".")[0] in ("textual", "rich")]


# Measured from request logs by Import usage, never typed in.
MEASURED = {"traffic.hourly_load", "traffic.burst_to_average"}


def test_every_profile_field_is_asked_exactly_once() -> None:
    asked = [q.name for q in all_questions()]
    assert len(asked) == len(set(asked))
    fields = {
        f"{section}.{key}" for section in SECTIONS for key in section_model(section).model_fields
    }
    assert set(asked) == (fields - MEASURED) | {"name"}  # and the profile's own name


def test_the_name_is_asked_first_and_sensitive_data_under_data() -> None:
    assert STEPS[0].questions[0].name == "name" and STEPS[0].questions[0].kind == "text"
    data = next(step for step in STEPS if step.title == "Data")
    assert "workload.sensitive_share" in [q.name for q in data.questions]
    others = [q.name for step in STEPS if step.title != "Data" for q in step.questions]
    assert "workload.sensitive_share" not in others


def test_bounds_come_from_the_profile_model() -> None:
    by_name = {q.name: q for q in all_questions()}
    requests = by_name["workload.requests_per_day"].bounds
    assert (requests.minimum, requests.maximum, requests.min_exclusive) == (0.01, 1e10, False)
    days = by_name["workload.days_per_month"].bounds
    assert (days.minimum, days.maximum, days.min_exclusive) == (1.0, 31.0, False)
    share = by_name["workload.simple_task_share"].bounds  # asked as a percentage
    assert (share.minimum, share.maximum) == (0.0, 100.0)
    utilization = by_name["self_host.utilization"].bounds
    assert (utilization.minimum, utilization.maximum, utilization.min_exclusive) == (
        1.0,
        100.0,
        False,
    )
    price = by_name["self_host.gpu_hourly_price"].bounds
    assert (price.minimum, price.maximum, price.min_exclusive) == (0.0, 1000.0, True)
    assert by_name["self_host.gpus"].bounds[:2] == (1.0, 64.0)
    assert by_name["self_host.gpus"].optional and not by_name["workload.input_tokens"].optional


def test_kinds_match_the_profile_types() -> None:
    for q in all_questions():
        annotation = q.field.annotation
        base = [a for a in typing.get_args(annotation) or (annotation,) if a is not type(None)]
        text = str(base[0])
        if q.kind == "integer":
            assert "int" in text, q.name
        elif q.kind in ("number", "share"):
            assert "float" in text, q.name
        elif q.kind == "bool":
            assert annotation is bool, q.name
        elif q.kind == "choice":
            assert {v for v, _ in q.choices} == set(q.allowed_values()), q.name
        assert q.why and len(q.why) <= 72, q.name  # one line at 80 columns
        assert len(q.label) <= 32, q.name


def test_an_empty_self_host_field_shows_the_catalog_value_and_its_date() -> None:
    from advisor.core.decision.decide import decide

    data = decide(Profile())
    price = next(q for q in all_questions() if q.name == "self_host.gpu_hourly_price")
    gpu = data.inputs.catalog.gpus[data.self_host.gpu]  # the GPU type the search chose
    assert empty_hint(price, data) == f"catalog: {gpu.hourly_price:g} as of {gpu.as_of}"


def test_answers_round_trip_through_the_input_box() -> None:
    by_name = {q.name: q for q in all_questions()}
    share = by_name["workload.simple_task_share"]
    assert to_text(share, 0.3) == "30" and from_text(share, "30") == pytest.approx(0.3)
    assert same_value(from_text(share, to_text(share, 0.07)), 0.07)
    days = by_name["workload.days_per_month"]
    assert same_value(30, from_text(days, to_text(days, 30)))  # an int default, a float answer
    assert to_text(by_name["workload.requests_per_day"], 10000.0) == "10000"
    assert from_text(by_name["workload.input_tokens"], "1200") == 1200
    assert from_text(by_name["self_host.gpus"], "") is None  # optional: the catalog decides
    with pytest.raises(ValueError):
        from_text(by_name["workload.input_tokens"], "")  # required


# -- the screen -----------------------------------------------------------------------------------


async def start_new(pilot: Pilot[int]) -> QuestionnaireScreen:
    """From the welcome screen: 'n' opens the results, then the questionnaire."""
    app = pilot.app
    await wait_for(pilot, lambda: app.screen.query("#welcome-menu"))
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(app.screen, QuestionnaireScreen))
    await pilot.pause()
    assert isinstance(app.screen, QuestionnaireScreen)
    return app.screen


def progress(screen: QuestionnaireScreen) -> str:
    return str(screen.query_one("#progress").render())


def live(screen: QuestionnaireScreen) -> str:
    return str(screen.query_one("#live").render())


def message(screen: QuestionnaireScreen, name: str) -> str:
    box = screen.query_one(f"#q--{name.replace('.', '--')}", QuestionBox)
    return box.message if box.has_class("-invalid") else ""


async def type_into(pilot: Pilot[int], name: str, keys: str) -> Input:
    """Focus a field and type into it, key by key, as a person would."""
    field = pilot.app.screen.query_one(f"#{name.replace('.', '--')}", Input)
    field.focus()
    await pilot.pause()
    await pilot.press("end", "ctrl+u", *keys)
    await decided(pilot)
    return field


async def go_to_step(pilot: Pilot[int], screen: QuestionnaireScreen, number: int) -> None:
    while screen.step + 1 < number:
        await pilot.press("ctrl+n")
    while screen.step + 1 > number:
        await pilot.press("ctrl+b")
    await pilot.pause()


def app_profile(app: AdvisorApp) -> Profile:
    assert app.session.profile is not None
    return app.session.profile


async def test_every_step_with_the_keys_then_the_verdict() -> None:
    app = create_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_new(pilot)
        for k, step in enumerate(STEPS, 1):
            assert f"Step {k} of {len(STEPS)}: {step.title}" in progress(screen)
            assert f"Step {k} of {len(STEPS)}" in screen_text(pilot)
            # the first question of the step has the focus, and is on screen
            focused = app.focused
            assert focused is not None and focused.region.height > 0
            await pilot.press("ctrl+n" if k % 2 else "pagedown")
            await pilot.pause()
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        verdict = str(app.screen.query_one("#verdict").render())
        assert "[API]" in verdict and "Use the open model, hosted" in verdict


async def test_f3_and_ctrl_r_show_the_results_and_e_comes_back() -> None:
    app = create_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_new(pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionnaireScreen))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))


async def test_page_keys_move_between_steps_and_back_stops_at_the_first() -> None:
    app = create_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_new(pilot)
        assert screen.check_action("previous_step", ()) is None  # dimmed in the footer
        await pilot.press("pageup")
        assert "Step 1 of 8" in progress(screen)
        await pilot.press("pagedown", "pagedown")
        assert "Step 3 of 8: Latency" in progress(screen)
        await pilot.press("pageup")
        assert "Step 2 of 8: Traffic" in progress(screen)
        await pilot.press("ctrl+b")
        assert "Step 1 of 8" in progress(screen)


async def test_a_new_volume_changes_the_api_cost_and_the_live_line() -> None:
    app = create_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_new(pilot)
        assert app.decision is not None
        before = app.decision.api.monthly_cost
        side = app.decision.api_side  # the live line shows the cheaper API route
        name = "hosted" if side.id == "hosted_open" else "API"
        assert f"{name} ${side.monthly_cost:,.0f} ·" in live(screen)
        await type_into(pilot, "workload.requests_per_day", "20000")
        assert app_profile(app).workload.requests_per_day == 20000
        after = app.decision.api.monthly_cost
        assert after == pytest.approx(2 * before)
        doubled = app.decision.api_side.monthly_cost
        assert doubled == pytest.approx(2 * side.monthly_cost)
        assert f"{name} ${doubled:,.0f} ·" in live(screen)
        assert f"{name} ${doubled:,.0f} ·" in screen_text(pilot)
        assert message(screen, "workload.requests_per_day") == ""
        assert app.session.dirty


async def test_keys_that_come_in_one_burst_edit_in_the_order_they_were_typed() -> None:
    # Over SSH (or tmux) a fast typist's keys arrive together. A field's editing keys are
    # bindings, which Textual ran only after the key had gone up to the app: "end, backspace
    # x5, 20000" inserted 20000 first, then deleted it.
    app = create_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_new(pilot)
        field = app.screen.query_one("#workload--requests_per_day", Input)
        field.focus()
        await pilot.pause()
        assert field.value == "10000"
        for key in ["end", *["backspace"] * 5, *"20000"]:  # posted at once, none awaited
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await decided(pilot)
        assert field.value == "20000"
        assert app_profile(app).workload.requests_per_day == 20000


async def test_invalid_answers_are_explained_and_change_nothing() -> None:
    app = create_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_new(pilot)
        data_before = app.decision
        field = await type_into(pilot, "workload.requests_per_day", "-5")
        assert field.value == "-5"
        text = message(screen, "workload.requests_per_day")
        assert "Not taken (still 10000)" in text and "from 0.01 to 10,000,000,000" in text
        assert app_profile(app).workload.requests_per_day == 10000
        assert app.decision is data_before  # nothing recomputed
        assert "Not taken (still 10000)" in screen_text(pilot)

        # letters cannot be typed into a number field at all
        field = await type_into(pilot, "workload.input_tokens", "abc")
        assert field.value == ""
        assert "Enter a whole number" in message(screen, "workload.input_tokens")
        assert app_profile(app).workload.input_tokens == 1000
        await pilot.press(*"1200")
        assert app_profile(app).workload.input_tokens == 1200
        assert message(screen, "workload.input_tokens") == ""

        # a rule across answers (not both token counts 0) is the decision's: the live line
        # says why there is no result, and the next valid answer brings one back
        await type_into(pilot, "workload.input_tokens", "0")
        await type_into(pilot, "workload.output_tokens", "0")
        assert "cannot both be 0" in (app.session.error or "")
        assert "No result" in screen_text(pilot)
        await type_into(pilot, "workload.output_tokens", "500")
        assert app.session.error is None and app_profile(app).workload.output_tokens == 500

        # a share is a percentage: 150% is refused, 30% is 0.3
        await go_to_step(pilot, screen, 5)
        share = await type_into(pilot, "workload.simple_task_share", "-5")
        assert "percentage from 0 to 100" in message(screen, "workload.simple_task_share")
        assert app_profile(app).workload.simple_task_share == 0.0
        share.value = "150"  # pasted at once (typed, 1% and 15% would be taken on the way)
        await pilot.pause()
        assert "Not taken (still 0%)" in message(screen, "workload.simple_task_share")
        assert app_profile(app).workload.simple_task_share == 0.0
        assert "not taken: Requests per day (step 1)" in progress(screen)
        await type_into(pilot, "workload.simple_task_share", "30")
        assert app_profile(app).workload.simple_task_share == pytest.approx(0.3)


async def test_back_and_next_keep_the_answers() -> None:
    app = create_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_new(pilot)
        await type_into(pilot, "workload.output_tokens", "800")
        await pilot.press("ctrl+n")
        select = screen.query_one("#traffic--variability", Select)
        select.focus()
        await pilot.press("enter", "down", "down", "enter")  # steady -> bursty
        await pilot.pause()
        assert app_profile(app).traffic.variability == "bursty"
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+b", "ctrl+b", "ctrl+b")
        assert "Step 1 of 8" in progress(screen)
        assert screen.query_one("#workload--output_tokens", Input).value == "800"
        assert "800" in screen_text(pilot)
        await pilot.press("ctrl+n")
        assert screen.query_one("#traffic--variability", Select).value == "bursty"
        assert "Bursty" in screen_text(pilot)
        assert app_profile(app).workload.output_tokens == 800


async def test_air_gapped_makes_the_verdict_self_host() -> None:
    app = create_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_new(pilot)
        await go_to_step(pilot, screen, 4)
        assert "Step 4 of 8: Data" in progress(screen)
        switch = screen.query_one("#data--air_gapped", Switch)
        switch.focus()
        await pilot.press("space")
        await pilot.pause()
        assert app_profile(app).data.air_gapped is True
        assert app.decision is not None
        assert app.decision.recommendation.verdict == "self_host"
        assert "[SELF-HOST]" in live(screen)
        box = screen.query_one("#q--data--air_gapped", QuestionBox)
        assert "yes" in str(box.query_one(".q-side").render())  # in words, not colour only
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        assert "[SELF-HOST]" in str(app.screen.query_one("#verdict").render())


async def test_an_optional_field_emptied_goes_back_to_the_catalog() -> None:
    app = create_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_new(pilot)
        await go_to_step(pilot, screen, 7)
        field = await type_into(pilot, "self_host.gpu_hourly_price", "3")
        assert app_profile(app).self_host.gpu_hourly_price == 3.0
        assert app.decision is not None and app.decision.self_host.gpu_hourly_price == 3.0
        assert app.decision.self_host.gpu == "a100-80gb"  # a price of one's own pins its GPU
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert app_profile(app).self_host.gpu_hourly_price is None
        chosen = app.decision.self_host
        gpu = app.decision.inputs.catalog.gpus[chosen.gpu]  # searched again
        if chosen.purchase == "on_demand":
            assert chosen.gpu_hourly_price == gpu.hourly_price
        else:  # a way of buying chosen by the search: a share of the catalog price
            assert chosen.gpu_hourly_price < gpu.hourly_price
        assert field.placeholder == f"catalog: {gpu.hourly_price:g} as of {gpu.as_of}"
        assert message(screen, "self_host.gpu_hourly_price") == ""


async def test_a_catalog_choice_is_priced_and_an_impossible_one_is_explained() -> None:
    app = create_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_new(pilot)
        model = screen.query_one("#api--model", Select)
        assert "catalog default: Claude Sonnet 4.6" in str(model.prompt)
        model.value = "gpt-4o-mini"
        await pilot.pause()
        assert app_profile(app).api.model == "gpt-4o-mini"
        assert app.decision is not None and app.decision.api.input_price_per_mtok == 0.15
        await go_to_step(pilot, screen, 6)  # how the API bills you: your own prices, advanced
        assert "catalog: 0.15 as of 2026-11-30" in screen_text(pilot)

        await go_to_step(pilot, screen, 7)
        screen.query_one("#self_host--model", Select).value = "llama-3.1-405b"
        screen.query_one("#self_host--gpu", Select).value = "l4"
        await pilot.pause()
        assert app.session.error is not None
        assert "No result" in live(screen) and "does not fit" in live(screen)
        screen.query_one("#self_host--gpu", Select).value = "h200"  # 8 of them hold it
        await pilot.pause()
        assert app.session.error is None and app_profile(app).self_host.gpu == "h200"
        assert "No result" not in live(screen) and "self-host $" in live(screen)


async def test_it_fits_a_large_terminal_too() -> None:
    app = create_app("medium")
    async with app.run_test(size=(200, 60)) as pilot:
        await wait_for(pilot, lambda: app.decision and app.session.profile is not None)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionnaireScreen))
        await pilot.pause()
        text = screen_text(pilot)
        assert "Step 1 of 8: Workload and spend" in text
        assert "Requests per day" in text and "Days in a month" in text
        assert "hosted $283 ·" in text  # medium: the open model hosted is the API side


@pytest.mark.parametrize(
    "name", ["medium", "regulated-health", "latency-critical", "extreme-volume"]
)
async def test_walking_an_example_through_changes_nothing(name: str) -> None:
    """Prefilling the fields must not rewrite the profile (no spurious 'unsaved changes')."""
    app = create_app(name)
    async with app.run_test(size=(80, 24)) as pilot:
        # the horizon and the odds come a moment later, off the UI thread
        await wait_for(pilot, lambda: app.decision and app.decision.risk is not None)
        await wait_for(pilot, lambda: app.session.profile is not None)
        before = app.decision
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionnaireScreen))
        for _ in STEPS[1:]:
            await pilot.press("ctrl+n")
        await pilot.pause()
        assert f"Step {len(STEPS)} of {len(STEPS)}" in progress(app.screen)  # type: ignore[arg-type]
        assert not app.session.dirty
        assert app.decision is before  # nothing recomputed
        assert not [b for b in app.screen.query(QuestionBox) if b.has_class("-invalid")]


# -- a rejected entry keeps the value from before the edit ----------------------------------------


async def edit_example(pilot: Pilot[int], name: str = "customer-service") -> QuestionnaireScreen:
    """Open an example and press 'e' for its questionnaire."""
    app = pilot.app
    await wait_for(pilot, lambda: app.decision and app.session.profile is not None)  # type: ignore[attr-defined]
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, QuestionnaireScreen))
    await pilot.pause()
    assert isinstance(app.screen, QuestionnaireScreen)
    return app.screen


async def test_an_invalid_entry_falls_back_to_the_value_before_the_edit() -> None:
    app = create_app("customer-service")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await edit_example(pilot)
        assert app.decision is not None
        cost = app.decision.api.monthly_cost
        name = "workload.requests_per_day"
        # valid prefixes are taken live on the way ("1e3" is 1,000 a day) ...
        field = await type_into(pilot, name, "1e3")
        assert app_profile(app).workload.requests_per_day == 1000
        # ... but the final "1e30" is out of range: back to 10,000, not to the last prefix
        await pilot.press("0")
        await pilot.pause()
        assert field.value == "1e30"
        assert app_profile(app).workload.requests_per_day == 10000
        assert "Not taken (still 10000)" in message(screen, name)
        assert app.decision.api.monthly_cost == cost
        assert f"API ${cost:,.0f} ·" in live(screen)
        assert not app.session.dirty  # the profile is the one loaded, again

        # emptied (the field is required): 10,000 still, not the "1" typed on the way
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert app_profile(app).workload.requests_per_day == 10000
        assert "Not taken (still 10000)" in message(screen, name)
        assert f"API ${cost:,.0f} ·" in live(screen) and "API $0 " not in live(screen)
        assert "Not taken (still 10000)" in screen_text(pilot)

        # a share typed over (100% in this example): "1" and "15" pass, "150" does not, and
        # what applies is the 100% from before the edit, not the 15% typed on the way
        await go_to_step(pilot, screen, 3)
        await type_into(pilot, "latency.critical_share", "15")
        assert app_profile(app).latency.critical_share == pytest.approx(0.15)
        await pilot.press("0")
        await pilot.pause()
        assert app_profile(app).latency.critical_share == 1.0
        assert "Not taken (still 100%)" in message(screen, "latency.critical_share")


async def test_an_invalid_price_keeps_the_price_from_before_the_edit() -> None:
    app = create_app("customer-service")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await edit_example(pilot)
        assert app.decision is not None
        self_host = app.decision.self_host.monthly_cost
        await go_to_step(pilot, screen, 7)
        await type_into(pilot, "self_host.gpu_hourly_price", "1e7")
        assert app_profile(app).self_host.gpu_hourly_price == 2.43
        assert app.decision.self_host.gpu_hourly_price == 2.43
        assert app.decision.self_host.monthly_cost == self_host
        assert "Not taken (still 2.43)" in message(screen, "self_host.gpu_hourly_price")


async def test_the_fallback_is_the_last_answer_taken_not_the_loaded_one() -> None:
    app = create_app("customer-service")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await edit_example(pilot)
        name = "workload.requests_per_day"
        await type_into(pilot, name, "20000")
        await pilot.press("enter")  # taken; the focus moves on
        await pilot.pause()
        await type_into(pilot, name, "2e30")
        assert app_profile(app).workload.requests_per_day == 20000
        assert "Not taken (still 20000)" in message(screen, name)
        # left invalid: coming back and typing keeps falling back to 20,000
        await pilot.press("tab")
        await pilot.pause()
        await type_into(pilot, name, "-")
        assert app_profile(app).workload.requests_per_day == 20000
        assert "Not taken (still 20000)" in message(screen, name)
        await pilot.press("5")
        await pilot.pause()
        assert app_profile(app).workload.requests_per_day == 20000  # -5: out of range
        assert "Not taken (still 20000)" in message(screen, name)


async def test_a_key_a_number_field_cannot_take_is_said_next_to_it() -> None:
    app = create_app("customer-service")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await edit_example(pilot)
        name = "workload.requests_per_day"
        box = screen.query_one(f"#q--{name.replace('.', '--')}", QuestionBox)
        field = await type_into(pilot, name, "12abc")
        assert field.value == "12"
        assert app_profile(app).workload.requests_per_day == 12  # "12" itself is an answer
        assert not box.has_class("-invalid")
        assert "Only numbers can be typed here" in screen_text(pilot)
        await pilot.press("3")  # the next key that fits clears it
        await pilot.pause()
        assert app_profile(app).workload.requests_per_day == 123
        assert "Only numbers can be typed here" not in screen_text(pilot)


async def test_the_profile_is_named_in_the_first_step_and_the_memo_carries_it() -> None:
    from advisor.report.markdown import render

    app = create_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_new(pilot)
        assert "Step 1 of 8" in progress(screen) and "Profile name" in screen_text(pilot)
        await type_into(pilot, "profile.name", "Support assistant")
        assert app_profile(app).name == "Support assistant"
        assert app.decision is not None and app.decision.profile_name == "Support assistant"
        assert render(app.decision).startswith("# Support assistant: ")
        await type_into(pilot, "profile.name", "")  # an empty name is the default one
        assert app_profile(app).name == "Untitled profile"


async def test_the_sensitive_share_is_asked_with_the_data_questions() -> None:
    app = create_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_new(pilot)
        await go_to_step(pilot, screen, 4)
        assert "Step 4 of 8: Data" in progress(screen)
        assert "Share of sensitive requests" in screen_text(pilot)
        await type_into(pilot, "workload.sensitive_share", "40")
        assert app_profile(app).workload.sensitive_share == pytest.approx(0.4)
