from unittest import mock

from app.roster import Roster


@mock.patch("clever.DataApi.get_students")
def test_learners(get_students):
    get_students.return_value = mock.Mock(data=[])
    roster = Roster("token")
    assert roster.learners() == []


def test_the_method_handed_to_pages():
    roster = Roster("token")
    with mock.patch.object(roster, "pages") as pages:
        roster.learners()
    assert pages.call_args[0][0] == roster.clever_api.get_students
    assert roster.clever_api.get_teachers_for_section is not None


def test_list_for_is_ours():
    roster = Roster("token")
    with mock.patch.object(roster, "pages", return_value=iter([])):
        assert roster.list_for("school-1") == []
