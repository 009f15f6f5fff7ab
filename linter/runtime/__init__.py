"""Layer `runtime`: evidence from running the code, beside the static analysis.

- fake_api: a local Clever API (v2.x and v3.x views of one roster);
- intercept: records (and, with the fake, answers) the Clever requests of a Python process;
  loaded into the programs `trace` runs by site/sitecustomize.py;
- trace: the `trace` command's run and report, and `check --trace`'s runtime-only findings;
- pytest_plugin: the `clever_api` fixture.

May import: api and every layer below it (trace). fake_api and intercept import nothing of
ours and nothing outside the standard library: they run inside users' programs, loaded by
their path."""
