from unittest import mock

from roster import fetchers


@mock.patch.object(fetchers, "get_users")
def test_all_students(get_users):
    get_users.return_value = []
    assert fetchers.all_students() == []
