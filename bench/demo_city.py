"""The database every page benchmark starts from: migrated, static files collected, and the
demo city's organisation and deputies without its service-made cases and activities (each
bench generates its own rows in bulk; the demo's few hundred cases would only cost minutes)."""

import os
import time


def city_prepare() -> None:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", size="city", cases=0, verbosity=0, stdout=quiet)
    print(f"  migrate + collectstatic + seed_demo: {time.perf_counter() - started:.0f} s")
