from unittest import mock

from app.roster import Roster


def test_learners():
    roster = Roster("token")
    with mock.patch.object(roster, "pages", return_value=iter([])) as pages:
        assert roster.learners() == []
    assert pages.call_args[1] == {"role": "student"}


def test_list_for_is_ours():
    roster = Roster("token")
    with mock.patch.object(roster, "pages", return_value=iter([])):
        assert roster.list_for("school-1") == []
