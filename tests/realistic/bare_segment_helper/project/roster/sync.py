from roster.client import CleverClient


def run(settings):
    client = CleverClient(settings.CLEVER)
    for row in client.students()["data"]:
        print(row["data"]["name"])
