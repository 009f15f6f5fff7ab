from clever import Student, Teacher


def test_students_and_teachers_exist():
    assert Student.all()
    assert Teacher.retrieve("teacher-1")
