import clever
from clever import School
import clever as clever_sdk

clever.set_token("DEMO_TOKEN")


def districts():
    return clever.District.all()


def school(school_id):
    return School.retrieve(school_id)


def sections():
    return list(clever_sdk.Section.iter())
