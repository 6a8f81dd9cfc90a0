"""Grouping by paraphrase: TF-IDF words weighed with place, date, figures and type."""

from __future__ import annotations

from datetime import date

from tests.unit.verify.cluster_records import groups, report

from quietwire.verify import cluster
from quietwire.verify._cluster_evidence import Profile, dates_apart, where
from quietwire.verify._cluster_text import terms, vectors

FIRST = (
    "Warplanes struck the bakery queue in Kafr Halab at dawn, killing 11 people, among "
    "them four children, the village doctor Samir Haddad said."
)
RETOLD = (
    "Eleven villagers waiting for bread at the Kafr Halab bakery died when jets bombed "
    "the queue early in the morning; doctor Samir Haddad counted four children."
)
OTHER = (
    "Hundreds marched through Homs demanding the release of detained students; the "
    "governor promised talks with the families."
)


def test_a_paraphrase_without_any_date_joins_its_event_on_words_and_place() -> None:
    reports = [
        report("a", FIRST, day="2025-03-03", event_type="explosions_remote_violence"),
        report("b", RETOLD, day=None, published=None, event_type=None),
        report("c", OTHER, day=None, published=None, place="Homs", event_type="protests"),
    ]
    assert groups(cluster(reports)) == {frozenset({"a", "b"}), frozenset({"c"})}


def test_event_types_that_differ_do_not_keep_a_paraphrase_out() -> None:
    reports = [
        report("a", FIRST, event_type="explosions_remote_violence"),
        report("b", RETOLD, day="2025-03-04", event_type="violence_against_civilians"),
    ]
    assert groups(cluster(reports)) == {frozenset({"a", "b"})}


def test_the_same_words_a_month_apart_are_two_events() -> None:
    reports = [
        report("a", FIRST, day="2025-03-03"),
        report("b", RETOLD, day="2025-04-09"),
    ]
    assert groups(cluster(reports)) == {frozenset({"a"}), frozenset({"b"})}


def test_arabic_clitics_do_not_hide_a_shared_name() -> None:
    one = terms("قصفت الطائرات مخبز كفرحلب وقتلت أحد عشر شخصا")
    two = terms("وفي كفرحلب سقط أحد عشر قتيلا بعد قصف المخبز")
    assert "كفرحلب" in one and "كفرحلب" in two
    assert "مخبز" in one and "مخبز" in two  # "المخبز" loses its article
    vecs = vectors([one, two, terms("تظاهر المئات في حمص للمطالبة بالإفراج عن الطلاب")])
    assert vecs.one(0, 1) > vecs.one(0, 2)


def test_a_vague_date_is_as_wide_as_it_is_vague() -> None:
    def prof(start: str, end: str) -> Profile:
        span = (date.fromisoformat(start), date.fromisoformat(end))
        return Profile((), span, True, frozenset(), frozenset(), None)

    last_week = prof("2025-03-01", "2025-03-08")
    assert not dates_apart(last_week, prof("2025-03-03", "2025-03-03"), 1)
    assert dates_apart(prof("2025-03-03", "2025-03-03"), prof("2025-03-06", "2025-03-06"), 1)
    assert not dates_apart(prof("2025-03-01", "2025-03-31"), prof("2025-03-20", "2025-03-20"), 1)


def test_places_resolve_to_gazetteer_entries_with_their_division() -> None:
    aleppo = where("Aleppo", 36.20278, 37.15861, "SY")
    assert aleppo.key.startswith("gn:") and aleppo.admin1 and aleppo.admin1.startswith("SY.")
    unknown = where("Tell Nowhere", None, None, None)
    assert unknown.key == "name:tell nowhere"


def test_two_short_arabic_reports_of_one_blast_join_without_a_type_or_a_date() -> None:
    reports = [
        report(
            "a",
            "قال ناشطون إن انفجار سيارة مفخخة في حلب يوم الخميس أدى إلى مقتل 5 أشخاص.",
            lang="ar",
            place="حلب",
        ),
        report(
            "b",
            "وبحسب ناشطين، قتل خمسة أشخاص بانفجار سيارة مفخخة في حلب.",
            lang="ar",
            place="حلب",
            day=None,
            event_type=None,
        ),
    ]
    assert groups(cluster(reports)) == {frozenset({"a", "b"})}


def test_the_same_words_about_two_cities_far_apart_stay_two_events() -> None:
    # Aleppo and Homs lie some 150 km apart in one country: a template-like report of a
    # strike in each is two events, whatever the words share.
    text = "An air strike on the main market killed 6 people, civil defence teams said."
    reports = [
        report("a", "In Aleppo: " + text, place="Aleppo"),
        report("b", "In Homs: " + text, place="Homs", day=None, event_type=None),
    ]
    assert groups(cluster(reports)) == {frozenset({"a"}), frozenset({"b"})}
