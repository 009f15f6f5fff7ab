import responses

from app import roster


@responses.activate
def test_students():
    responses.add(
        responses.GET,
        "https://api.clever.com/v2.1/students",
        json={"data": [{"data": {"id": "s1", "name": {"first": "Ada"}}}]},
    )
    assert roster.students("token") == [{"id": "s1", "name": {"first": "Ada"}}]


def test_student(requests_mock):
    requests_mock.get("https://api.clever.com/v2.1/students/s1", json={"data": {"id": "s1"}})
    assert roster.student("token", "s1") == {"id": "s1"}
