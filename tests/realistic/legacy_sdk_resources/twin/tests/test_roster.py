from legacy import roster


def test_school_module():
    assert callable(roster.school)
