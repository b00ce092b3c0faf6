"""The web app in a real browser (Debian's chromium driven by Playwright), against the
real corpus and model: chat with citations, a follow-up, goals with CSV export, the topic
matrix, an upload, and the login. Screenshots of every tab go to test-output/.

Waits are generous because the CPU is small; nothing here measures time.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import socket
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT, make_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "test-output"
ANSWER_WAIT_MS = 300_000  # answers on a busy 2-core machine
INGEST_WAIT_MS = 900_000  # an upload re-ingests the folder; new text is embedded on the CPU
MATRIX_WAIT_MS = 600_000
# Text on the seilbahn PDF the upload test writes; nothing in the corpus speaks of it.
CABLE_CAR_TITLE = "Seilbahnkonzept Rurtal 2030"
CABLE_CAR_TEXT = [
    "Der Kreis Heinsberg plant eine Seilbahn zwischen Wassenberg und Hückelhoven.",
    "Die Seilbahn soll ab dem Jahr 2030 im Zehn-Minuten-Takt fahren und jährlich 400.000 Fahrgäste befördern.",
    "Die Baukosten der Seilbahn werden auf 48 Millionen Euro geschätzt.",
    "Die Stationen der Seilbahn werden barrierefrei gebaut und an den Busverkehr angebunden.",
]


# -- the browser ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Chromium fehlt: apt-get install -y chromium (die Browser-Tests nutzen das System-Chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(components, settings):
    """Start the real app on a free local port; returns (app, url)."""
    from assistant.app import build_app, launch_options

    settings = settings.model_copy(update={"host": "127.0.0.1", "port": _free_port()})
    app = build_app(components)
    app.queue(default_concurrency_limit=2).launch(prevent_thread_lock=True, quiet=True, **launch_options(settings))
    return app, f"http://127.0.0.1:{settings.port}/"


@pytest.fixture(scope="module")
def app_url(corpus_components):
    app, url = _serve(corpus_components, corpus_components.settings)
    yield url
    app.close()


@pytest.fixture
def page(browser):
    """A German browser tab that records every host it talks to: only this machine."""
    context = browser.new_context(locale="de-DE", viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2].rsplit(":", 1)[0]))
    yield page
    context.close()
    assert hosts <= {"127.0.0.1"}, f"the app made the browser contact other hosts: {hosts}"


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


ANSWERED = re.compile("Antwort fertig|Antwort ohne Belegstellen")


def ask(page, question: str, submit_with_enter: bool = False, done: re.Pattern = ANSWERED) -> None:
    from playwright.sync_api import expect

    field = page.get_by_label("Ihre Frage")
    field.fill(question)
    before = page.locator("#gespraech [data-testid='bot']").count()
    if submit_with_enter:
        field.press("Enter")
    else:
        page.get_by_role("button", name="Fragen", exact=True).click()
    expect(page.locator("#gespraech [data-testid='bot']")).to_have_count(before + 1, timeout=ANSWER_WAIT_MS)
    expect(page.locator("#antwort-status")).to_contain_text(done, timeout=ANSWER_WAIT_MS)


def unnamed_controls(page) -> list[str]:
    """Controls in the accessibility tree without a name (a screen reader would say only 'button')."""
    tree = page.locator("body").aria_snapshot()
    return [
        line.strip()
        for line in tree.splitlines()
        if re.match(r"^\s*- (textbox|button|checkbox|combobox|radio|tab|slider|spinbutton|listbox)\s*(\[[^\]]*\])?\s*:?\s*$", line)
    ]


LOW_CONTRAST_JS = """
() => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(',').map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = ({r, g, b}) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = (el) => { for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0.5) return c; }
    return {r: 255, g: 255, b: 255, a: 1}; };
  const failures = [];
  for (const el of document.querySelectorAll('body *')) {
    const text = Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join('');
    if (!text || el.closest('[aria-hidden="true"], svg, canvas, img') || el.closest(':disabled, [disabled]')) continue;
    const style = getComputedStyle(el), rect = el.getBoundingClientRect();
    if (style.visibility === 'hidden' || style.display === 'none' || rect.width === 0 || rect.height === 0) continue;
    if (parseFloat(style.opacity) < 0.1) continue;
    const fg = parse(style.color); if (!fg) continue;
    const bg = background(el);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    const needed = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio < needed) failures.push(`${text.slice(0, 40)} (${ratio.toFixed(2)})`);
  }
  return failures;
}
"""


def assert_accessible(page) -> None:
    """BITV 2.0 basics on what is visible: every control named, text contrast (WCAG AA)."""
    assert page.evaluate("document.documentElement.lang") == "de"
    assert unnamed_controls(page) == []
    assert page.evaluate(LOW_CONTRAST_JS) == []


# -- chat ------------------------------------------------------------------------------
def test_a_question_gets_an_answer_whose_citation_opens_the_passage(page, app_url):
    from playwright.sync_api import expect

    page.goto(app_url)
    ask(page, "Was sagt das Leitbild zum Radwegenetz?")
    answer = page.locator("#gespraech [data-testid='bot']").last
    expect(answer).to_contain_text("Radwegenetz")
    expect(answer).to_contain_text("[1]")
    first = page.locator("#beleg-1")
    expect(first.locator("summary").first).to_contain_text("[1] Leitbild")
    expect(first.locator("mark").first).to_be_hidden()  # closed until asked for
    first.locator("summary").first.click()
    expect(first.locator("mark").first).to_be_visible()
    expect(first.locator("mark").first).to_contain_text("Radwegenetz")
    expect(first.locator(".beleg-meta")).to_contain_text("Status: Entwurf")
    expect(first.locator(".beleg-meta")).to_contain_text("Herausgeber: Kreis Heinsberg")
    expect(first.locator(".beleg-meta")).to_contain_text("Abschnitt: Leitbild › 7. Verkehr und Mobilität")
    first.get_by_text("im Zusammenhang zeigen").click()
    expect(first.locator(".kontext")).to_be_visible()
    expect(first.locator(".kontext .nachbar").first).not_to_be_empty()
    assert_accessible(page)
    screenshot(page, "1-fragen")


def test_a_follow_up_shows_the_searched_query_takes_feedback_and_downloads_as_text(page, app_url, corpus_components):
    from playwright.sync_api import expect

    page.goto(app_url)
    ask(page, "Was sagt das Leitbild zum Radverkehr?")
    ask(page, "Und der Nachhaltigkeitsbericht?", submit_with_enter=True)  # the keyboard alone suffices
    searched = page.locator("#gesuchte-anfrage")
    expect(searched).to_contain_text("Gesucht wurde")
    expect(searched).to_contain_text("Radverkehr")
    expect(page.locator("#belegstellen")).to_contain_text("Nachhaltigkeitsbericht")

    page.get_by_text("Rückmeldung zur letzten Antwort").click()
    page.get_by_label("hilfreich", exact=True).check()
    page.get_by_label("Kommentar (freiwillig)").fill("Gute Quelle")
    page.get_by_role("button", name="Rückmeldung senden", exact=True).click()
    expect(page.locator("#rueckmeldung-status")).to_contain_text("gespeichert")
    lines = (corpus_components.settings.data_dir / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[-1])
    assert record["question"] == "Und der Nachhaltigkeitsbericht?"
    assert record["history"] == ["Was sagt das Leitbild zum Radverkehr?"]
    assert record["helpful"] is True and record["comment"] == "Gute Quelle"
    assert record["citations"] and record["answer"]

    download_button = page.get_by_role("button", name="Gespräch herunterladen", exact=True)
    with page.expect_download() as download:
        download_button.click()
    assert re.fullmatch(r"gespraech-\d{4}-\d\d-\d\d-\d{4}\.txt", download.value.suggested_filename)
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Frage 1: Was sagt das Leitbild zum Radverkehr?" in text
    assert "Frage 2: Und der Nachhaltigkeitsbericht?\nGesucht wurde: „" in text
    assert text.count("Belegstellen:") == 2 and "(Bericht, Kreis Heinsberg 2023)" in text

    page.get_by_role("button", name="Neues Gespräch", exact=True).click()
    expect(page.locator("#gespraech [data-testid='bot']")).to_have_count(0)
    expect(page.locator("#gesuchte-anfrage")).to_be_empty()
    expect(download_button).to_be_disabled()


def test_a_question_sent_while_the_answer_before_it_still_comes_is_asked_after_it(page, app_url):
    from playwright.sync_api import expect

    page.goto(app_url)
    field = page.get_by_label("Ihre Frage")
    field.fill("Was sagt das Leitbild zum Radverkehr?")
    field.press("Enter")
    expect(page.locator("#gespraech [data-testid='bot']")).to_have_count(1)
    field.fill("Und der Nachhaltigkeitsbericht?")  # at once, while the first answer is searched or shown
    field.press("Enter")
    bot = page.locator("#gespraech [data-testid='bot']")
    expect(bot).to_have_count(2, timeout=ANSWER_WAIT_MS)
    expect(page.locator("#antwort-status")).to_contain_text(ANSWERED, timeout=ANSWER_WAIT_MS)
    # asked as the follow-up it is, with the first answer kept
    expect(page.locator("#gesuchte-anfrage")).to_contain_text("Radverkehr")
    expect(bot.first).to_contain_text("Leitbild")
    expect(page.locator("#belegstellen")).to_contain_text("Nachhaltigkeitsbericht")


def test_user_text_is_shown_as_text_never_as_markup(page, app_url):
    from playwright.sync_api import expect

    page.goto(app_url)
    # Whatever the answer, the question must come back as the text that was typed.
    any_end = re.compile("Antwort fertig|Antwort ohne Belegstellen|Fehler")
    ask(page, "Was sagt das Leitbild zu <b>Wohnen</b>? <img src=x onerror=\"document.title='xss'\">", done=any_end)
    question = page.locator("#gespraech [data-testid='user']").last
    expect(question).to_contain_text("<b>Wohnen</b>")
    assert question.locator("img, b").count() == 0
    assert page.title() != "xss"


def test_a_document_named_without_a_topic_gets_a_question_back_not_a_failed_search(page, app_url):
    from playwright.sync_api import expect

    page.goto(app_url)
    ask(page, "Coesfeld?")
    status = page.locator("#antwort-status")
    expect(status).to_contain_text("Antwort ohne Belegstellen: Die Frage nennt nur Coesfeld")
    expect(status).not_to_contain_text("keine Aussage")


def test_the_api_answers_like_ask_json_and_names_an_unknown_document(app_url):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    answer = client.predict("Was sagt das Leitbild zum Radwegenetz?", [], [], api_name="/frage")
    assert answer["citations"][0]["doc_id"] == "heinsberg-leitbild-entwurf"
    with pytest.raises(Exception, match="Diese Dokumente gibt es nicht"):
        client.predict("Radverkehr", [], ["gibtsnicht"], api_name="/frage")


def test_downloads_older_than_the_cleanup_age_are_deleted_on_the_server(corpus_components, monkeypatch, tmp_path):
    """Gradio's copies and the app's own files: a server that runs for months keeps its disk."""
    import tempfile
    import time

    from gradio_client import Client

    from assistant import app as app_module

    monkeypatch.setattr(app_module, "DOWNLOAD_CLEANUP_S", (1, 2))  # every second, from two seconds of age
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the app's own files, where the test sees them
    app, url = _serve(corpus_components, corpus_components.settings)
    try:
        client = Client(url, verbose=False)
        client.predict("Mobilität", [], api_name="/ziele")
        originals = list(tmp_path.glob("dokumenten-assistent-*/*/ziele-mobilitaet.*"))
        copies = [Path(f) for files in app.temp_file_sets for f in files if "ziele-mobilitaet" in f]
        assert len(originals) == 2 and copies and all(path.exists() for path in originals + copies)
        time.sleep(4)
        client.predict("Wohnen", [], api_name="/ziele")
        assert not any(path.exists() for path in originals + copies)
        assert len(list(tmp_path.glob("dokumenten-assistent-*/*/ziele-wohnen.*"))) == 2
    finally:
        app.close()


def test_a_document_filter_limits_the_sources(page, app_url):
    from playwright.sync_api import expect

    page.goto(app_url)
    page.locator("#dokumentfilter").get_by_label("Jusos-Wahlprogramm").check()
    ask(page, "Welche Ziele gibt es zum Thema Wohnen?")
    summaries = page.locator("#belegstellen summary")
    expect(summaries.first).to_be_visible()
    for text in summaries.all_inner_texts():
        if text.startswith("["):
            assert "Jusos-Wahlprogramm" in text


# -- goals -----------------------------------------------------------------------------
def test_goals_for_mobility_come_from_three_documents_and_export_as_csv(page, app_url):
    from playwright.sync_api import expect

    page.goto(app_url)
    page.get_by_role("tab", name="Ziele").click()
    page.get_by_label("Thema", exact=True).fill("Mobilität")
    page.get_by_role("button", name="Ziele suchen", exact=True).click()
    status = page.locator("#ziele-status")
    expect(status).to_contain_text("Ziele in", timeout=ANSWER_WAIT_MS)
    documents = int(re.search(r"in (\d+) Dokumenten", status.inner_text()).group(1))
    assert documents >= 3
    table = page.locator("#ziele-tabelle")
    expect(table).to_contain_text("Verkehr und Mobilität")
    expect(table).to_contain_text("These")

    with page.expect_download() as download:
        page.get_by_role("button", name="Als CSV herunterladen", exact=True).click()
    assert download.value.suggested_filename == "ziele-mobilitaet.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Dokument", "Ziel / Abschnitt", "Art", "Aussage"]
    assert len({row[0] for row in rows[1:]}) >= 3
    assert any(row[0] == "Leitbild" and "Radwegenetz" in row[3] for row in rows[1:])

    with page.expect_download() as download:
        page.get_by_role("button", name="Als Markdown herunterladen", exact=True).click()
    markdown = Path(download.value.path()).read_text(encoding="utf-8")
    assert markdown.startswith("# Ziele zum Thema „Mobilität“") and "## Coesfeld" in markdown

    page.get_by_text("Zwei Dokumente vergleichen").click()
    choose(page, "Erstes Dokument", "Leitbild")
    choose(page, "Zweites Dokument", "Coesfeld")
    page.get_by_role("button", name="Vergleichen", exact=True).click()
    expect(page.locator("#vergleich-status")).to_contain_text("Leitbild", timeout=ANSWER_WAIT_MS)
    expect(page.locator("#vergleich-links")).to_contain_text("These 7")
    expect(page.locator("#vergleich-rechts")).to_contain_text("X. Mobilität und Verkehr")
    assert_accessible(page)
    screenshot(page, "2-ziele")


def choose(page, label: str, option: str) -> None:
    """Pick an option of a Gradio dropdown the way a user does."""
    field = page.get_by_role("combobox", name=label, exact=True)
    field.click()
    options = page.locator(f"#{field.get_attribute('aria-controls')}")
    options.get_by_role("option", name=option, exact=True).wait_for()
    assert unnamed_controls(page) == [], "an open option list needs a name for screen readers"
    options.get_by_role("option", name=option, exact=True).click()


# -- matrix ----------------------------------------------------------------------------
def test_the_topic_matrix_renders_and_a_cell_shows_its_goals(page, app_url):
    from playwright.sync_api import expect

    page.goto(app_url)
    page.get_by_role("tab", name="Themen-Matrix").click()
    expect(page.locator("#matrix-grafik img")).to_be_visible(timeout=MATRIX_WAIT_MS)
    expect(page.locator("#matrix-status")).to_contain_text("15 Themen")
    page.get_by_text("Themen-Matrix als Tabelle").click()
    expect(page.locator("#matrix-tabelle")).to_contain_text("Europa und Partnerschaften")
    choose(page, "Thema (Zeile)", "Mobilität")
    choose(page, "Dokument (Spalte)", "Coesfeld")
    page.get_by_role("button", name="Ziele dieser Zelle zeigen", exact=True).click()
    expect(page.locator("#zelle-status")).to_contain_text("Coesfeld:", timeout=ANSWER_WAIT_MS)
    expect(page.locator("#zelle-tabelle")).to_contain_text("X. Mobilität und Verkehr")
    assert_accessible(page)
    screenshot(page, "3-themen-matrix")


# -- documents: upload and ask ---------------------------------------------------------
@pytest.fixture(scope="module")
def upload_app(corpus_components, embedding_cache_dir, tmp_path_factory):
    """The app on a copy of the corpus, so uploads never touch the repository's corpus/."""
    from assistant.components import Components

    base = tmp_path_factory.mktemp("upload")
    corpus_copy = base / "corpus"
    shutil.copytree(CORPUS, corpus_copy)
    components = Components(make_settings(corpus_copy, base / "data", embedding_cache_dir))
    assert not components.sync().run(corpus_copy, show_progress=False).problems
    app, url = _serve(components, components.settings)
    yield url, corpus_copy
    app.close()


def cable_car_pdf(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 10, CABLE_CAR_TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=12)
    for sentence in CABLE_CAR_TEXT:
        pdf.multi_cell(0, 7, sentence, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.output(str(path))
    return path


def test_an_uploaded_pdf_is_ingested_and_answers_questions(page, upload_app, tmp_path):
    from playwright.sync_api import expect

    url, corpus_copy = upload_app
    page.goto(url)
    page.get_by_role("tab", name="Dokumente").click()
    status = page.locator("#dokumente-status")
    file_input = page.locator("#hochladen-datei input[type=file]")

    fake = tmp_path / "kein-pdf.pdf"
    fake.write_text("Dies ist nur Text mit der Endung .pdf.", encoding="utf-8")
    file_input.set_input_files(str(fake))
    page.get_by_role("button", name="Hochladen und aufnehmen", exact=True).click()
    expect(status).to_contain_text("ist kein PDF", timeout=ANSWER_WAIT_MS)
    assert not (corpus_copy / "kein-pdf.pdf").exists()

    pdf = cable_car_pdf(tmp_path / "Seilbahn Konzept (Entwurf).pdf")
    file_input.set_input_files(str(pdf))
    page.get_by_role("button", name="Hochladen und aufnehmen", exact=True).click()
    expect(status).to_contain_text("wurde aufgenommen", timeout=INGEST_WAIT_MS)
    expect(status).to_contain_text("1 neu")
    expect(status).to_contain_text("unter „Angaben eines Dokuments“ festlegen")
    saved = corpus_copy / "seilbahn-konzept-entwurf.pdf"
    assert saved.read_bytes() == pdf.read_bytes()
    expect(page.locator("#dokumente-tabelle")).to_contain_text(CABLE_CAR_TITLE)
    assert_accessible(page)
    screenshot(page, "4-dokumente")

    page.get_by_role("tab", name="Fragen").click()
    expect(page.locator("#dokumentfilter")).to_contain_text(CABLE_CAR_TITLE)
    ask(page, "Wie viele Fahrgäste soll die Seilbahn jährlich befördern?")
    expect(page.locator("#gespraech [data-testid='bot']").last).to_contain_text("400.000")
    expect(page.locator("#beleg-1 summary").first).to_contain_text(CABLE_CAR_TITLE)

    # Its provenance, and a name to call it by in questions
    page.get_by_role("tab", name="Dokumente").click()
    # the upload is chosen there already, its title read from the PDF
    expect(page.locator("#angaben-titel").get_by_role("textbox")).to_have_value(CABLE_CAR_TITLE)
    page.locator("#angaben-kurzname").get_by_role("textbox").fill("Seilbahnkonzept")
    page.locator("#angaben-herausgeber").get_by_role("textbox").fill("Kreis Heinsberg")
    page.locator("#angaben-jahr").get_by_role("textbox").fill("24")
    page.locator("#angaben-namen").get_by_role("textbox").fill("Seilbahnplan, Rurtal-Seilbahn")
    choose(page, "Status", "Entwurf")
    page.get_by_role("button", name="Angaben speichern", exact=True).click()
    expect(status).to_contain_text("kein Jahr", timeout=ANSWER_WAIT_MS)
    assert "seilbahn" not in (corpus_copy / "documents.toml").read_text(encoding="utf-8")
    page.locator("#angaben-jahr").get_by_role("textbox").fill("2024")
    page.get_by_role("button", name="Angaben speichern", exact=True).click()
    expect(status).to_contain_text("wurden gespeichert", timeout=INGEST_WAIT_MS)
    expect(status).to_contain_text("1 geändert")
    expect(page.locator("#dokumente-tabelle")).to_contain_text("Seilbahnkonzept")
    expect(page.locator("#angaben-namen").get_by_role("textbox")).to_have_value("Seilbahnplan, Rurtal-Seilbahn")
    page.get_by_role("tab", name="Fragen").click()
    ask(page, "Was kostet der Bau laut Seilbahnplan?")
    answer = page.locator("#gespraech [data-testid='bot']").last
    expect(answer).to_contain_text("Laut Seilbahnkonzept (Entwurf, Kreis Heinsberg 2024)")
    expect(answer).to_contain_text("48 Millionen Euro")

    page.get_by_role("tab", name="Dokumente").click()
    choose(page, "Dokument zum Entfernen", "Seilbahnkonzept (seilbahn-konzept-entwurf.pdf)")
    page.get_by_role("button", name="Dokument entfernen", exact=True).click()
    expect(status).to_contain_text("bestätigen")
    assert saved.exists()
    page.get_by_label("Ja, die Datei dieses Dokuments endgültig löschen").check()
    page.get_by_role("button", name="Dokument entfernen", exact=True).click()
    expect(status).to_contain_text("wurde entfernt", timeout=INGEST_WAIT_MS)
    assert not saved.exists()
    expect(page.locator("#dokumente-tabelle")).not_to_contain_text(CABLE_CAR_TITLE)


# -- login -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def login_app(tmp_path_factory):
    """Login on, uploads off: the settings a network installation would use."""
    from assistant.components import Components
    from assistant.settings import Settings

    base = tmp_path_factory.mktemp("login")
    settings = Settings(
        corpus_dir=CORPUS, data_dir=base / "data", auth_user="kreis", auth_password="richtiges-passwort", uploads_enabled=False
    )
    app, url = _serve(Components(settings), settings)
    yield url
    app.close()


def test_login_rejects_a_wrong_password(page, login_app):
    import httpx
    from playwright.sync_api import expect

    assert httpx.get(f"{login_app}config").status_code == 401
    page.goto(login_app)
    password = page.locator("input[type=password]")
    expect(password).to_be_visible()
    page.locator("input[type=text]").first.fill("kreis")
    password.fill("falsches-passwort")
    password.press("Enter")
    expect(page.get_by_text(re.compile("Falsch|Incorrect|ungültig", re.I))).to_be_visible(timeout=60_000)
    expect(page.get_by_label("Ihre Frage")).to_have_count(0)

    page.locator("input[type=text]").first.fill("kreis")
    password.fill("richtiges-passwort")
    password.press("Enter")
    expect(page.get_by_label("Ihre Frage")).to_be_visible(timeout=60_000)
    page.get_by_role("tab", name="Dokumente").click()
    expect(page.locator("#hochladen-aus")).to_contain_text("abgeschaltet")
    assert page.locator("#hochladen-datei").count() == 0
    assert page.get_by_role("button", name="Hochladen und aufnehmen", exact=True).count() == 0
