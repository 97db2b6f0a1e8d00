"""Search reads what a client said without changing it (issue 14): real words are never "corrected" into other
words, "no police" leaves the police out, an age is not two search words, Spanish finds the same help, and support
comes before law enforcement unless the words ask for it. On the real data/, as an outreach worker would type."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nhfind.core import reading
from nhfind.core.db.store import Store
from nhfind.core.models import Filters
from nhfind.core.search import NO_POLICE, languages, search

# Common English words, many of them what clients say about what happened to them. None may be "corrected".
ENGLISH = """
about above across act after afraid again against age ago agree air alive all almost alone along already also
always angry animal another answer any anyone apart arm army around arrive art ask asleep aunt away baby back bad
bag ball bank bar base bathroom beat beaten beats beautiful became because become bed been before began begin
behind believe belong below best better between big bird birth bit black blame blood blow blue board boat body bone
book born both bottom bought box boy brain bread break breath bring broke broken brother brought brown build burn
bus busy buy call calm came camp can car card care careful carry case cat catch caught cause cell chair chance
change charge cheap check chest chief child choose church city class clean clear climb clock close clothes cold
color come common cook cool corner cost could count country couple course cousin cover crazy cried cross cry cut
dad dance dark date daughter day dead deal dear death decide deep did die different dinner dirty do dog done door
down draw dream dress drink drive drop dry during each ear early earth easy eat edge eight either else empty end
enough even evening ever every exact eye face fact fair fall family far farm fast father fear feel feet fell felt
few field fight fill final find fine finger finish fire first fish five floor fly follow foot force forget form
found four free fresh friend from front full fun game garden gate gave girl give glad glass goes gold gone good
got grass gray great green ground group grow guess gun hair half hall hand happen happy hard hat hate have head
hear heard heart heat heavy held hello help here hide high hill hit hold hole home hope horse hot hour house
huge hurt idea if inside into iron island job join joke jump just keep kept key kill kind king kiss kitchen knee
knew know lady lake land large last late laugh law lay lead learn least leave left leg less let letter lie life
light like line lip list listen little live lock long look lose lost lot loud love low lucky mad made mail make
many mark market matter maybe mean meet men middle might mind minute miss money month moon more morning most mother
mouth move much music must name near neck need never new news next nice night nine nobody noise none nose note
nothing now number off office often oil old once only open order other outside over own page pain paint pair
paper parent park part party pass past pay peace pen people perhaps pick picture piece plan plant play please
pocket point poor pretty price prison problem pull push put question quick quiet quite race rain raise ran rather
reach read ready real reason red remember rest rich ride right ring river road rock roll room round rule run sad
safe said same sat save saw say scared school sea seat second see seem sell send sent seven shall shape share sharp
ship shirt shoe shop short shot should shout show shut side sign silent simple since sing sister sit six size skin
sky sleep slow small smell smile snow soft soldier some son song soon sorry sound south speak stand star start
state stay step still stone stop store story street strong student study such sudden summer sun sure swim table
take talk tall teach team tear tell ten than thank then thick thin thing think third though three threw through
throw tie tired today together told tomorrow too took top touch town track train tree trip trouble true trust try
turn twice two uncle under until upon use usual very visit voice wait wake walk wall war warm wash watch water
wave way weak wear weather week weight well went west wet wheel while white whole why wide wild win wind window
winter wish woke wonder wood word wore worry worse write wrong yard year yellow yesterday young
""".split()  # noqa: SIM905 (a paragraph of words reads better than 300 quoted ones)

# Common Spanish words, with their accents where they have them.
SPANISH = """
abrir agua ahora algo alguien allí amigo amiga año antes aquí árbol ayer ayuda bajo barrio beber bien boca bueno
buscar cabeza cada calle cama cambiar camino carta casa casi cerca cielo ciudad claro coche comer comida como
comprar contra corazón correr cosa creer cuerpo dar decir dejar después día dinero dolor dónde dormir él ella
enfermo entonces escuela esposo estar familia favor feliz fin fuerte gente grande gracias hablar hacer hambre
hermana hermano hija hijo hombre hora hoy iglesia ir jamás joven juntos lado leche lejos libre llamar llegar
llorar luego madre mañana mano mejor mesa miedo mirar momento mucho mujer mundo nada nadie necesitar niño noche
nombre nosotros nuevo nunca ojo otro padre pagar país palabra pan papá pasar pedir pelo pensar pequeño perro
persona poco poder policía pregunta puerta querer rápido ropa saber salir seguro semana señor siempre sol solo
sueño tarde teléfono temprano tiempo tienda trabajo triste vida viejo vivir volver
""".split()  # noqa: SIM905


def test_the_word_lists_are_as_long_as_promised() -> None:
    assert len(set(ENGLISH)) >= 300 and len(set(SPANISH)) >= 100


@pytest.mark.parametrize("word", ENGLISH)
def test_a_common_english_word_is_never_corrected(real_store: Store, word: str) -> None:
    page = search(real_store, word, limit=3)
    assert page.corrections == () and page.did_you_mean == "", f"{word!r} was changed to {page.did_you_mean!r}"


@pytest.mark.parametrize("word", SPANISH)
def test_a_common_spanish_word_is_never_corrected(real_store: Store, word: str) -> None:
    page = search(real_store, word, limit=3)
    assert page.corrections == () and page.did_you_mean == "", f"{word!r} was changed to {page.did_you_mean!r}"


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("boyfriend beats me", "weave-support-line"),
        ("bad date", "weave-support-line"),
        ("hit by my partner", "weave-support-line"),
        ("quit sex work scared of cops", "cash-sacramento"),
        ("16 year old being pimped", "human-trafficking-hotline"),
        ("comida", "calfresh"),
        ("refugio", "emergency-shelter"),
        ("clínica", "clinic"),  # any clinic: the one named "clinic" best
    ],
)
def test_the_issues_examples_give_the_right_help_first_unchanged(real_store: Store, text: str, first: str) -> None:
    page = search(real_store, text, limit=5)
    assert first in page.results[0].id
    assert page.corrections == () and page.did_you_mean == ""


@pytest.mark.parametrize(("typo", "word"), [("shelterr", "shelter"), ("calfrsh", "calfresh"), ("narcn", "narcan")])
def test_a_typo_of_a_known_word_is_still_corrected_and_said(real_store: Store, typo: str, word: str) -> None:
    page = search(real_store, typo, limit=3)
    assert page.corrections == ((typo, word),) and page.did_you_mean == word and page.results


def test_a_real_word_no_service_uses_is_left_out_and_said(real_store: Store) -> None:
    page = search(real_store, "scared of my boyfriend", limit=3)
    assert page.results[0].id == "weave-support-line"
    assert "scared" in page.ignored and any('"scared"' in n for n in page.notices)


REFUSALS = [
    "leave sex work no police",
    "detox without police",
    "not the cops",
    "no cops, she needs a shelter",
    "scared of cops",
    "doesn't trust the sheriff",
    "sin policía",
    "no quiero la policia",
    "nada de policía",
    "shelter but no law enforcement",
]


@pytest.mark.parametrize("text", REFUSALS)
def test_words_that_refuse_the_police_leave_them_out_as_the_option_does(real_store: Store, text: str) -> None:
    page = search(real_store, text)
    assert page.law_enforcement_left_out and NO_POLICE in page.notices
    assert not [r.id for r in page.results if r.is_law_enforcement]
    # exactly what --no-law-enforcement shows for the words that are left
    rest = " ".join(reading.read(page_words(text)).words)
    same = search(real_store, rest, Filters(exclude_law_enforcement=True))
    assert [r.id for r in page.results] == [r.id for r in same.results]


@pytest.mark.parametrize(
    "text", ["i don't want the police involved", "no police involved", "don't want police", "i don't want police"]
)
def test_a_refusal_whose_other_words_match_nothing_still_answers_without_police(real_store: Store, text: str) -> None:
    page = search(real_store, text)
    assert page.total > 0 and page.law_enforcement_left_out
    assert not [r.id for r in page.results if r.is_law_enforcement]
    assert [r.id for r in page.results] == [r.id for r in search(real_store, "no police").results]


def page_words(text: str) -> list[str]:
    from nhfind.core.fts import tokens

    return tokens(text)


def test_a_refused_police_word_is_not_expanded_into_police_services(real_store: Store) -> None:
    page = search(real_store, "no police")
    assert all("police" not in phrase for phrase, _also in page.expanded)
    assert "sheriff" not in page.query and "reporting" not in page.query


def test_asking_for_the_police_still_finds_them_first(real_store: Store) -> None:
    page = search(real_store, "report trafficking to police", limit=3)
    assert not page.law_enforcement_left_out and page.results[0].is_law_enforcement


def test_support_services_come_before_law_enforcement_unless_asked(real_store: Store) -> None:
    ids = [r.is_law_enforcement for r in search(real_store, "trafficking").results]
    assert ids == sorted(ids), "a law-enforcement service came before a support service"
    asked = search(real_store, "trafficking detective", limit=1).results
    assert asked[0].is_law_enforcement


def test_paging_keeps_support_first(real_store: Store) -> None:
    def page(o: int) -> list[str]:
        return [r.id for r in search(real_store, "trafficking", limit=2, offset=o).results]

    whole = [r.id for r in search(real_store, "trafficking").results]
    pages = [rid for o in range(0, len(whole), 2) for rid in page(o)]
    assert pages == whole


@pytest.mark.parametrize(
    ("text", "age"),
    [("16 year old being pimped", 16), ("she is 15 and being sold", 15), ("15yo", 15), ("tiene 14 años", 14)],
)
def test_an_age_is_read_as_an_age_not_as_search_words(real_store: Store, text: str, age: int) -> None:
    page = search(real_store, text, limit=5)
    assert page.age == age and any("minor" in n for n in page.notices)
    assert str(age) not in page.query and '"year"' not in page.query and '"old"' not in page.query
    assert page.results


def test_an_age_alone_finds_services_for_minors(real_store: Store) -> None:
    ids = [r.id for r in search(real_store, "16 year old", limit=5).results]
    assert "courage-worldwide" in ids


def test_an_adult_age_is_no_minor(real_store: Store) -> None:
    page = search(real_store, "she is 19 and needs a shelter", limit=3)
    assert page.age == 19 and not any("minor" in n for n in page.notices)
    assert page.results[0].id == "emergency-shelter"


def test_other_numbers_are_not_search_words_but_the_short_lines_are(real_store: Store) -> None:
    assert '"4"' not in search(real_store, "4 kids need food").query
    assert search(real_store, "988", limit=1).results[0].id == "lifeline-988"
    assert search(real_store, "211", limit=1).results[0].id == "sacramento-211"
    assert search(real_store, "text 911", limit=1).results[0].id == "emergency-911"


@pytest.mark.parametrize(
    "pair", [("clínica", "clinica"), ("policía", "policia"), ("desintoxicación", "DESINTOXICACION")]
)
def test_spanish_words_find_the_same_with_or_without_accents(real_store: Store, pair: tuple[str, str]) -> None:
    one, other = (search(real_store, t) for t in pair)
    assert [r.id for r in one.results] == [r.id for r in other.results] and one.results


def test_languages_says_which_words_were_read_in_which_language() -> None:
    read = languages("comida para my kids zxqv")
    assert "comida" in read["Spanish"] and "kids" in read["English"] and "zxqv" in read["in neither list"]


def test_a_lookup_that_matches_never_loads_the_word_lists(real_db: Path) -> None:
    code = (
        "import sys; from nhfind.core.search import search; from nhfind.core.db.store import Store; "
        f"s = Store({str(real_db)!r}); search(s, 'shelter'); search(s, 'boyfriend beats me'); "
        "print('nhfind.core.words' in sys.modules, 'nhfind.core.phone' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "False False"  # nor the keypad rule: only a query that may be a number reads it


def test_the_cli_says_police_are_left_out_on_stderr(real_db: Path) -> None:
    from nhfind.cli import app

    result = CliRunner().invoke(app, ["--db", str(real_db), "search", "leave sex work no police", "-f", "csv"])
    assert result.exit_code == 0
    assert f"nhfind: {NO_POLICE}" in result.stderr
    assert "law-enforcement" not in result.stdout


def test_explain_names_the_language_of_the_words(real_db: Path) -> None:
    from nhfind.cli import app

    result = CliRunner().invoke(app, ["--db", str(real_db), "search", "refugio para mujeres", "--explain", "-f", "csv"])
    assert "Spanish:" in result.stderr and "refugio" in result.stderr


@pytest.mark.parametrize("text", ["no money, needs a police report", "report to police", "wants to tip the sheriff"])
def test_asking_for_a_police_report_is_not_a_refusal(real_store: Store, text: str) -> None:
    page = search(real_store, text, limit=5)
    assert not page.law_enforcement_left_out and any(r.is_law_enforcement for r in page.results)


@pytest.mark.parametrize("text", ["not breathing", "friend od", "overdosing right now", "he fell out"])
def test_an_overdose_happening_now_puts_911_first_then_naloxone(real_store: Store, text: str) -> None:
    ids = [r.id for r in search(real_store, text, limit=3).results]
    assert ids[:2] == ["emergency-911", "naloxone-distribution"], ids


def test_an_overdose_with_the_police_refused_leaves_911_out_and_says_what_is_there(real_store: Store) -> None:
    page = search(real_store, "not breathing no police", limit=5)
    assert page.results[0].id == "naloxone-distribution"
    assert not any(r.is_law_enforcement for r in page.results)
    said = " ".join(page.notices)
    assert "911 emergency" in said and "as asked" in said and "988" in said
    assert "breathing" not in page.ignored  # the refusal took "no police", not "not breathing"


@pytest.mark.parametrize(
    ("number", "service"),
    [
        ("916-920-2952", "weave-support-line"),
        ("(916) 920 2952", "weave-support-line"),
        ("920-2952", "weave-support-line"),
        ("741741", "crisis-text-line"),
        ("916-SUPPORT", "the-source"),
        ("916-787-7678", "the-source"),
        ("1-888-373-7888", "human-trafficking-hotline"),
    ],
)
def test_a_phone_number_finds_the_service_with_that_number(real_store: Store, number: str, service: str) -> None:
    assert [r.id for r in search(real_store, number).results] == [service]


def test_a_number_no_service_has_says_so_and_exits_1(real_db: Path) -> None:
    from nhfind.cli import app

    result = CliRunner().invoke(app, ["--db", str(real_db), "search", "916-555-0100", "-f", "csv"])
    assert result.exit_code == 1
    assert "no service has this number: 916-555-0100" in result.stderr
    assert len(result.stdout.strip().splitlines()) <= 1  # the CSV header at most: no service


def test_words_with_digits_are_not_read_as_a_phone_number(real_store: Store) -> None:
    assert any(r.id == "emergency-shelter" for r in search(real_store, "24/7 shelter").results)


def test_a_refusal_of_the_police_alone_answers_as_no_police_does(real_store: Store) -> None:
    said = search(real_store, "i don't want police")
    plain = search(real_store, "no police")
    assert said.total == plain.total > 1
    assert not any(r.is_law_enforcement for r in said.results)


@pytest.mark.parametrize(("text", "shown"), [("15 años", "15 años"), ("tiene 15 Años", "15 Años")])
def test_the_age_notice_shows_the_clients_own_words(real_store: Store, text: str, shown: str) -> None:
    assert f'read "{shown}" as the age of a minor (under 18)' in search(real_store, text).notices
