from unittest import mock

import clever

from roster import fetchers


def test_fetchers_table():
    assert fetchers.FETCHERS["teachers"] == fetchers.api.get_teachers


@mock.patch.object(clever.DataApi, "get_students")
def test_all_students(get_students):
    get_students.return_value = mock.Mock(data=[])
    assert fetchers.all_students() == []
