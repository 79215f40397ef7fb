"""The one catalog of texts a person reads, in Polish and English."""

from __future__ import annotations

import locale
import os

_CATALOG: dict[str, dict[str, str]] = {
    # Configuration
    "config.missing": {
        "en": "config file not found: {path}. Create one (see assets/sample-config.toml) or pass --config PATH.",
        "pl": "nie znaleziono pliku konfiguracji: {path}. Utwórz go (wzór: assets/sample-config.toml) "
        "albo podaj --config ŚCIEŻKA.",
    },
    "config.unreadable": {
        "en": "cannot read config file {path}: {reason}",
        "pl": "nie można odczytać pliku konfiguracji {path}: {reason}",
    },
    "config.syntax": {
        "en": "{path}: not valid TOML: {reason}",
        "pl": "{path}: niepoprawny TOML: {reason}",
    },
    "config.error": {"en": "{path}: {key}: {reason}", "pl": "{path}: {key}: {reason}"},
    "config.header": {
        "en": "configuration refused, nothing was started ({count} problem(s)):",
        "pl": "konfiguracja odrzucona, niczego nie uruchomiono (problemów: {count}):",
    },
    # Runtime
    "run.already": {
        "en": "another Sellintegro supervisor{pid} already runs for data directory {data_dir}. "
        "Use `sellintegro status` to see it, or `sellintegro stop` to stop it first.",
        "pl": "dla katalogu danych {data_dir} działa już inny nadzorca Sellintegro{pid}. "
        "Sprawdź go poleceniem `sellintegro status` albo zatrzymaj: `sellintegro stop`.",
    },
    "run.no_tray": {
        "en": "no tray available ({reason}); running headless.",
        "pl": "ikona w zasobniku niedostępna ({reason}); praca bez interfejsu.",
    },
    "run.no_plugins": {
        "en": "{path}: no enabled plugins; the supervisor runs and waits for a restart request.",
        "pl": "{path}: brak włączonych wtyczek; nadzorca działa i czeka na polecenie.",
    },
    "cli.not_running": {
        "en": "no Sellintegro supervisor is running for data directory {data_dir}{why}.",
        "pl": "dla katalogu danych {data_dir} nie działa żaden nadzorca Sellintegro{why}.",
    },
    "cli.refused": {
        "en": "the supervisor refused the request: {reason}",
        "pl": "nadzorca odrzucił polecenie: {reason}",
    },
    "cli.unknown_plugin": {
        "en": "no plugin with code {code} in {path}; known codes: {known}",
        "pl": "w {path} nie ma wtyczki o kodzie {code}; znane kody: {known}",
    },
    "cli.stopping": {
        "en": "stopping the supervisor (pid {pid}) and its workers…",
        "pl": "zatrzymywanie nadzorcy (pid {pid}) i jego procesów…",
    },
    "cli.stopped": {"en": "stopped.", "pl": "zatrzymano."},
    "cli.paused": {"en": "paused: {code} (stays paused until `sellintegro resume {code}`)",
                   "pl": "wstrzymano: {code} (do `sellintegro resume {code}`)"},
    "cli.resumed": {"en": "resumed: {code}", "pl": "wznowiono: {code}"},
    "cli.restarted": {"en": "restart requested: {codes}", "pl": "zlecono restart: {codes}"},
    "logs.skipped": {
        "en": "... {count} record(s) were rotated out of the log files before they could be shown",
        "pl": "... {count} wpis(ów) usunięto z plików logów (rotacja), zanim można było je pokazać",
    },
    "logs.ended": {
        "en": "the supervisor ended the live stream (it stopped)",
        "pl": "nadzorca zakończył strumień na żywo (zatrzymał się)",
    },
    "journal.empty": {
        "en": "no journal yet ({path} does not exist): no plugin has written an entry",
        "pl": "dziennik jest pusty ({path} nie istnieje): żadna wtyczka nic jeszcze nie zapisała",
    },
    # Supervision records, written into plugin logs
    "sup.crash": {
        "en": "worker exited unexpectedly: {how}; uptime {uptime:.1f} s; restarts so far {restarts}; {next}",
        "pl": "proces zakończył się nieoczekiwanie: {how}; czas działania {uptime:.1f} s; "
        "dotychczasowe restarty {restarts}; {next}",
    },
    "sup.next_retry": {
        "en": "next start at {at} (in {delay:.1f} s)",
        "pl": "następna próba o {at} (za {delay:.1f} s)",
    },
    "sup.fatal": {
        "en": "gave up after {failures} failed starts in a row (FATAL); next retry at {at} (in {delay:.0f} s)",
        "pl": "wstrzymano po {failures} nieudanych startach z rzędu (FATAL); "
        "kolejna próba o {at} (za {delay:.0f} s)",
    },
    "sup.stderr_tail": {
        "en": "last lines on stderr:\n{lines}",
        "pl": "ostatnie linie na stderr:\n{lines}",
    },
    "sup.no_stderr": {"en": "nothing on stderr", "pl": "brak wpisów na stderr"},
    "sup.hang": {
        "en": "no progress for {secs:.0f} s (hang_timeout); thread stacks are above; killing the worker",
        "pl": "brak postępu przez {secs:.0f} s (hang_timeout); stosy wątków powyżej; zabijam proces",
    },
    "sup.stop_killed": {
        "en": "did not stop within {secs:.0f} s (stop_timeout); killed with its process tree",
        "pl": "nie zatrzymał się w ciągu {secs:.0f} s (stop_timeout); zabity wraz z drzewem procesów",
    },
    "sup.budget": {
        "en": "restart deferred by the endpoint's restart budget until {at}",
        "pl": "restart odłożony przez limit restartów endpointu do {at}",
    },
    "sup.spawn_failed": {
        "en": "could not start the worker process: {reason}",
        "pl": "nie można uruchomić procesu: {reason}",
    },
    "sup.state": {"en": "state {old} -> {new}", "pl": "stan {old} -> {new}"},
    # Desktop (the tray icon and the log viewer: sellintegro/desktop/)
    "desktop.no_display": {"en": "no graphical display (DISPLAY is not set)",
                           "pl": "brak ekranu graficznego (zmienna DISPLAY nie jest ustawiona)"},
    "desktop.display_failed": {"en": "cannot use display {display}: {reason}",
                               "pl": "nie można użyć ekranu {display}: {reason}"},
    "desktop.no_tray_host": {
        "en": "no system tray on display {display} (no tray host owns {selection})",
        "pl": "brak zasobnika systemowego na ekranie {display} (żaden program nie obsługuje {selection})",
    },
    "desktop.backend_failed": {"en": "the tray library failed: {reason}",
                               "pl": "biblioteka ikony w zasobniku zawiodła: {reason}"},
    "desktop.tray_only": {
        "en": "sellintegro tray: {reason}",
        "pl": "sellintegro tray: {reason}",
    },
    "desktop.menu.show_logs": {"en": "Show logs", "pl": "Pokaż logi"},
    "desktop.menu.restart": {"en": "Restart", "pl": "Uruchom ponownie"},
    "desktop.menu.all": {"en": "All", "pl": "Wszystkie"},
    "desktop.menu.run_now": {"en": "Run now", "pl": "Uruchom teraz"},
    "desktop.menu.pause_resume": {"en": "Pause / Resume", "pl": "Wstrzymaj / Wznów"},
    "desktop.menu.pause": {"en": "Pause {code}", "pl": "Wstrzymaj {code}"},
    "desktop.menu.resume": {"en": "Resume {code}", "pl": "Wznów {code}"},
    "desktop.menu.open_logs": {"en": "Open log folder", "pl": "Otwórz folder logów"},
    "desktop.menu.open_config": {"en": "Open config", "pl": "Otwórz konfigurację"},
    "desktop.menu.quit": {"en": "Quit (stop all plugins)", "pl": "Zakończ (zatrzymaj wszystkie wtyczki)"},
    "desktop.menu.close_tray": {"en": "Close this icon", "pl": "Zamknij tę ikonę"},
    "desktop.menu.stop_endpoint": {"en": "Stop the endpoint", "pl": "Zatrzymaj endpoint"},
    "desktop.menu.none": {"en": "(no plugins)", "pl": "(brak wtyczek)"},
    "desktop.tip.title": {"en": "Sellintegro {name}: {summary}", "pl": "Sellintegro {name}: {summary}"},
    "desktop.tip.ok": {"en": "all running", "pl": "wszystko działa"},
    "desktop.tip.backoff": {"en": "restarting", "pl": "ponowne uruchamianie"},
    "desktop.tip.fatal": {"en": "needs attention", "pl": "wymaga uwagi"},
    "desktop.tip.disconnected": {"en": "not connected", "pl": "brak połączenia"},
    "desktop.tip.paused": {"en": "paused", "pl": "wstrzymana"},
    "desktop.tip.disabled": {"en": "disabled", "pl": "wyłączona"},
    "desktop.tip.hung": {"en": "no progress for {secs:.0f} s", "pl": "brak postępu od {secs:.0f} s"},
    "desktop.tip.retry": {"en": "retry in {secs:.0f} s", "pl": "ponowienie za {secs:.0f} s"},
    "desktop.tip.more": {"en": "+{count} more", "pl": "+{count} więcej"},
    "desktop.notify.fatal": {
        "en": "{code} stopped restarting (FATAL): {error}",
        "pl": "{code} przestała się uruchamiać (FATAL): {error}",
    },
    "desktop.notify.failed": {"en": "{action}: {reason}", "pl": "{action}: {reason}"},
    "desktop.open_failed": {"en": "cannot open {path}: {reason}", "pl": "nie można otworzyć {path}: {reason}"},
    "viewer.title": {"en": "Sellintegro – logs – {name}", "pl": "Sellintegro – logi – {name}"},
    "viewer.title_disconnected": {"en": "Sellintegro – logs – {name} (disconnected)",
                                  "pl": "Sellintegro – logi – {name} (rozłączono)"},
    "viewer.tab.logs": {"en": "Logs", "pl": "Logi"},
    "viewer.tab.journal": {"en": "Journal", "pl": "Dziennik"},
    "viewer.tab.processes": {"en": "Processes", "pl": "Procesy"},
    "viewer.pause": {"en": "Pause", "pl": "Wstrzymaj"},
    "viewer.resume": {"en": "Resume", "pl": "Wznów"},
    "viewer.plugin": {"en": "Plugin:", "pl": "Wtyczka:"},
    "viewer.level": {"en": "Level:", "pl": "Poziom:"},
    "viewer.all_plugins": {"en": "(all)", "pl": "(wszystkie)"},
    "viewer.endpoint": {"en": "(endpoint)", "pl": "(endpoint)"},
    "viewer.find": {"en": "Find:", "pl": "Szukaj:"},
    "viewer.matches": {"en": "{count} match(es)", "pl": "trafień: {count}"},
    "viewer.copy": {"en": "Copy", "pl": "Kopiuj"},
    "viewer.export": {"en": "Export…", "pl": "Eksportuj…"},
    "viewer.refresh": {"en": "Refresh", "pl": "Odśwież"},
    "viewer.connected": {"en": "connected to {name} (supervisor pid {pid}, mode {mode})",
                         "pl": "połączono z {name} (nadzorca pid {pid}, tryb {mode})"},
    "viewer.disconnected": {"en": "disconnected: {reason}; reconnecting…",
                            "pl": "rozłączono: {reason}; ponowne łączenie…"},
    "viewer.connecting": {"en": "connecting…", "pl": "łączenie…"},
    "viewer.paused_at": {"en": "paused at #{seq}; {count} newer record(s) wait",
                         "pl": "wstrzymano na #{seq}; nowszych wpisów: {count}"},
    "viewer.skipped": {
        "en": "… {count} record(s) were rotated out of the log files before they could be shown",
        "pl": "… {count} wpis(ów) usunięto z plików logów (rotacja), zanim można było je pokazać",
    },
    "viewer.reconnected": {"en": "— reconnected to the supervisor; nothing missed: continuing after #{seq} —",
                           "pl": "— ponownie połączono z nadzorcą; nic nie pominięto: dalej od #{seq} —"},
    "viewer.exported": {"en": "exported {count} record(s) to {path}", "pl": "wyeksportowano wpisów: {count} do {path}"},
    "viewer.copied": {"en": "copied {count} line(s)", "pl": "skopiowano linii: {count}"},
    "viewer.done": {"en": "{action}: done", "pl": "{action}: wykonano"},
    "viewer.failed": {"en": "{action}: {reason}", "pl": "{action}: {reason}"},
    "viewer.col.code": {"en": "Plugin code", "pl": "Kod wtyczki"},
    "viewer.col.type": {"en": "Type", "pl": "Typ"},
    "viewer.col.pid": {"en": "PID", "pl": "PID"},
    "viewer.col.state": {"en": "State", "pl": "Stan"},
    "viewer.col.restarts": {"en": "Restarts", "pl": "Restarty"},
    "viewer.col.uptime": {"en": "Uptime", "pl": "Czas działania"},
    "viewer.col.cpu": {"en": "CPU %", "pl": "CPU %"},
    "viewer.col.rss": {"en": "Memory (RSS)", "pl": "Pamięć (RSS)"},
    "viewer.col.cmdline": {"en": "Command line", "pl": "Wiersz poleceń"},
    "viewer.col.time": {"en": "Time", "pl": "Czas"},
    "viewer.col.plugin": {"en": "Plugin", "pl": "Wtyczka"},
    "viewer.col.level": {"en": "Level", "pl": "Poziom"},
    "viewer.col.subject": {"en": "Subject", "pl": "Dotyczy"},
    "viewer.col.message": {"en": "Message", "pl": "Treść"},
    "viewer.supervisor_row": {"en": "Sellintegro (supervisor)", "pl": "Sellintegro (nadzorca)"},
    "viewer.journal_none": {"en": "no journal yet: no plugin has written an entry",
                            "pl": "dziennik jest pusty: żadna wtyczka nic jeszcze nie zapisała"},
    "viewer.journal_failed": {"en": "cannot read the journal {path}: {reason}",
                              "pl": "nie można odczytać dziennika {path}: {reason}"},
    "viewer.journal_count": {"en": "{count} entries (newest {limit} at most)",
                             "pl": "wpisów: {count} (najwyżej {limit} najnowszych)"},
    "viewer.restart_all": {"en": "Restart all", "pl": "Uruchom wszystkie ponownie"},
    "viewer.select_plugin": {"en": "select a plugin first", "pl": "najpierw wybierz wtyczkę"},
    "viewer.focused_elsewhere": {"en": "the log viewer is already open (pid {pid}); brought it to the front",
                                 "pl": "podgląd logów jest już otwarty (pid {pid}); przeniesiono go na wierzch"},
    "viewer.no_instance": {"en": "another log viewer holds {path} but does not answer",
                           "pl": "inny podgląd logów trzyma {path}, ale nie odpowiada"},
    "viewer.no_display": {"en": "cannot open a window: {reason}", "pl": "nie można otworzyć okna: {reason}"},
    # Doctor (`sellintegro doctor`: sellintegro/doctor.py)
    "doctor.header": {"en": "Sellintegro doctor: {config}", "pl": "Sellintegro doctor: {config}"},
    "doctor.fix": {"en": "fix", "pl": "co zrobić"},
    "doctor.summary": {"en": "{errors} error(s), {warnings} warning(s) in {count} checks",
                       "pl": "błędy: {errors}, ostrzeżenia: {warnings} (sprawdzeń: {count})"},
    "doctor.summary_ok": {"en": "all {count} checks ok", "pl": "wszystko w porządku (sprawdzeń: {count})"},
    "doctor.name.config": {"en": "config", "pl": "konfiguracja"},
    "doctor.name.endpoint": {"en": "endpoint", "pl": "endpoint"},
    "doctor.name.instance": {"en": "single instance", "pl": "jedna instancja"},
    "doctor.name.mode": {"en": "run mode", "pl": "tryb pracy"},
    "doctor.name.disk": {"en": "disk space", "pl": "miejsce na dysku"},
    "doctor.name.clock": {"en": "clock", "pl": "zegar"},
    "doctor.name.plugins": {"en": "plugins", "pl": "wtyczki"},
    "doctor.name.token": {"en": "BaseLinker token ({codes})", "pl": "token BaseLinkera ({codes})"},
    "doctor.name.budget": {"en": "BaseLinker rate limit ({codes})", "pl": "limit zapytań BaseLinkera ({codes})"},
    "doctor.name.plugin": {"en": "{code}: {what}", "pl": "{code}: {what}"},
    "doctor.name.checks": {"en": "checks", "pl": "testy"},
    "doctor.name.processing": {"en": "processing", "pl": "przetwarzanie"},
    "doctor.broken_fix": {"en": "the check itself failed as this account; run sellintegro doctor as the account "
                          "the endpoint runs as, and check the paths in {config}",
                          "pl": "sam test zawiódł na tym koncie; uruchom sellintegro doctor jako konto endpointu "
                          "i sprawdź ścieżki w {config}"},
    "doctor.config.ok": {"en": "{config} loads: {count} plugin(s), {enabled} enabled",
                         "pl": "{config} wczytana: wtyczek {count}, włączonych {enabled}"},
    "doctor.config.bad": {"en": "the config does not load: {reason}", "pl": "konfiguracja się nie wczytuje: {reason}"},
    "doctor.config.bad_fix": {"en": "correct the keys named above in {config}, then run sellintegro doctor again",
                              "pl": "popraw wskazane klucze w {config} i uruchom sellintegro doctor ponownie"},
    "doctor.endpoint.ok": {"en": "the supervisor answers (pid {pid}, mode {mode}, up {uptime}, version {version})",
                           "pl": "nadzorca odpowiada (pid {pid}, tryb {mode}, działa od {uptime}, wersja {version})"},
    "doctor.endpoint.down": {"en": "the endpoint is not running, so no plugin works: {reason}",
                             "pl": "endpoint nie działa, więc żadna wtyczka nie pracuje: {reason}"},
    "doctor.endpoint.down_fix": {
        "en": "start it: sellintegro run --config {config} (or sellintegro service start in a service mode)",
        "pl": "uruchom go: sellintegro run --config {config} (w trybie usługi: sellintegro service start)"},
    "doctor.endpoint.no_access": {"en": "cannot tell whether it runs: this account cannot read {path} ({reason})",
                                  "pl": "nie wiadomo, czy działa: to konto nie może czytać {path} ({reason})"},
    "doctor.endpoint.no_access_fix": {
        "en": "run sellintegro doctor as the service's account or an administrator (Linux: a member of the "
        "sellintegro group)",
        "pl": "uruchom sellintegro doctor jako konto usługi lub administrator (Linux: członek grupy sellintegro)"},
    "doctor.instance.ok": {"en": "one supervisor (pid {pid}) holds {data_dir}, one worker per plugin",
                           "pl": "jeden nadzorca (pid {pid}) trzyma {data_dir}, jeden proces na wtyczkę"},
    "doctor.instance.none_running": {"en": "no supervisor and no worker runs for {data_dir}",
                                     "pl": "dla {data_dir} nie działa żaden nadzorca ani proces wtyczki"},
    "doctor.instance.twice": {"en": "{code} runs in more than one process (pids {pids})",
                              "pl": "{code} działa w więcej niż jednym procesie (pid {pids})"},
    "doctor.instance.stray": {"en": "worker(s) of {code} not started by the supervisor {supervisor} (pids {pids})",
                              "pl": "proces(y) {code} nie uruchomione przez nadzorcę {supervisor} (pid {pids})"},
    "doctor.instance.no_lock": {"en": "the supervisor {pid} does not hold the lock of {data_dir}",
                                "pl": "nadzorca {pid} nie trzyma blokady {data_dir}"},
    "doctor.instance.bad": {"en": "{problems}; two endpoints over the same orders create every document twice",
                            "pl": "{problems}; dwa endpointy nad tymi samymi zamówieniami tworzą każdy dokument "
                            "dwa razy"},
    "doctor.instance.bad_fix": {
        "en": "stop the extra processes (sellintegro stop --config {config}; end leftovers by their pid), "
        "then start one endpoint",
        "pl": "zatrzymaj nadmiarowe procesy (sellintegro stop --config {config}; pozostałe zakończ po pid), "
        "potem uruchom jeden endpoint"},
    "doctor.mode.ok": {"en": "{mode}, as chosen for this machine; the checks ran as {account}",
                       "pl": "{mode}, zgodnie z wyborem dla tego komputera; testy wykonano jako {account}"},
    "doctor.mode.ok_stopped": {"en": "{mode} is chosen for this machine (the supervisor is not running)",
                               "pl": "dla tego komputera wybrano tryb {mode} (nadzorca nie działa)"},
    "doctor.mode.other": {"en": "the endpoint runs in mode {running}, but this machine was switched to {chosen}",
                          "pl": "endpoint działa w trybie {running}, a ten komputer przełączono na {chosen}"},
    "doctor.mode.other_fix": {
        "en": "stop this one (sellintegro stop --config {config}) and start the endpoint the chosen way, "
        "or switch cleanly: sellintegro mode {running}",
        "pl": "zatrzymaj go (sellintegro stop --config {config}) i uruchom endpoint w wybranym trybie "
        "albo przełącz tryb: sellintegro mode {running}"},
    "doctor.mode.other_account": {
        "en": "{mode}: the service runs as {account}, but these checks ran as {me}; what {account} may reach "
        "(printers, shares, drives) can differ",
        "pl": "{mode}: usługa działa jako {account}, a te testy wykonano jako {me}; {account} może nie mieć "
        "dostępu do tego samego (drukarki, udziały, dyski)"},
    "doctor.mode.other_account_fix": {
        "en": "run sellintegro doctor as {account}, or sellintegro mode {mode} again: it checks as the service",
        "pl": "uruchom sellintegro doctor jako {account} albo ponownie sellintegro mode {mode}: sprawdzi jako usługa"},
    "doctor.disk.ok": {"en": "{free} free ({share}) for {path}", "pl": "wolne {free} ({share}) dla {path}"},
    "doctor.disk.low": {"en": "only {free} free ({share}) for {path}: logs, journal and state stop being written",
                        "pl": "tylko {free} wolnego ({share}) dla {path}: logi, dziennik i stan przestaną się "
                        "zapisywać"},
    "doctor.disk.fix": {"en": "free space on that disk, or move data_dir ([endpoint]) to a larger one",
                        "pl": "zwolnij miejsce na dysku albo przenieś data_dir ([endpoint]) na większy dysk"},
    "doctor.disk.unknown": {"en": "cannot tell the free space of {path}: {reason}",
                            "pl": "nie można ustalić wolnego miejsca dla {path}: {reason}"},
    "doctor.disk.unknown_fix": {"en": "check that data_dir ([endpoint]) is reachable by this account",
                                "pl": "sprawdź, czy to konto ma dostęp do data_dir ([endpoint])"},
    "doctor.token.ok": {"en": "{url} accepts the token ({count} order statuses)",
                        "pl": "{url} przyjmuje token (statusów zamówień: {count})"},
    "doctor.token.bad": {"en": "{url} refuses the token of {codes} (ERROR_BAD_TOKEN): nothing reaches BaseLinker",
                         "pl": "{url} odrzuca token wtyczek {codes} (ERROR_BAD_TOKEN): nic nie trafia do "
                         "BaseLinkera"},
    "doctor.token.bad_fix": {
        "en": "copy the API token from BaseLinker (Settings > API) into the token setting of {codes} in {config}, "
        "then sellintegro restart --all",
        "pl": "skopiuj token API z BaseLinkera (Ustawienia > API) do ustawienia token wtyczek {codes} w {config}, "
        "potem sellintegro restart --all"},
    "doctor.token.down": {"en": "cannot ask {url}: {reason}", "pl": "nie można zapytać {url}: {reason}"},
    "doctor.token.down_fix": {
        "en": "check the internet connection (proxy, firewall) and the baselinker_url setting of {codes} in {config}",
        "pl": "sprawdź połączenie z internetem (proxy, zapora) i ustawienie baselinker_url wtyczek {codes} w {config}"},
    "doctor.token.blocked": {"en": "BaseLinker blocked the account for going over the request limit; every plugin "
                             "using the token ({codes}) waits ({secs} s more)",
                             "pl": "BaseLinker zablokował konto za przekroczenie limitu zapytań; każda wtyczka z tym "
                             "tokenem ({codes}) czeka (jeszcze {secs} s)"},
    "doctor.token.blocked_fix": {
        "en": "wait for the block to end; if it comes back, lower rate_limit of {codes} or stop other programs "
        "that use the same token",
        "pl": "poczekaj na koniec blokady; jeśli wraca, obniż rate_limit wtyczek {codes} albo wyłącz inne programy "
        "korzystające z tego tokenu"},
    "doctor.token.not_asked": {"en": "not asked now: the token's budget is spent ({used} of {limit} requests in the "
                               "last minute)",
                               "pl": "nie zapytano teraz: budżet tokenu wyczerpany ({used} z {limit} zapytań w "
                               "ostatniej minucie)"},
    "doctor.budget.ok": {"en": "{used} of {limit} requests used in the last minute, shared by every plugin using "
                         "the token",
                         "pl": "wykorzystano {used} z {limit} zapytań w ostatniej minucie (wspólnie dla wtyczek z "
                         "tym tokenem)"},
    "doctor.budget.high": {"en": "{used} of {limit} requests used in the last minute: the plugins start to wait "
                           "for the budget",
                           "pl": "wykorzystano {used} z {limit} zapytań w ostatniej minucie: wtyczki zaczynają "
                           "czekać na limit"},
    "doctor.budget.blocked": {"en": "the account is blocked for {secs} s more; every plugin using the token waits",
                              "pl": "konto jest zablokowane jeszcze {secs} s; każda wtyczka z tym tokenem czeka"},
    "doctor.budget.fix": {
        "en": "give the plugins {codes} longer intervals in {config}, or stop other programs using the token",
        "pl": "wydłuż interval wtyczek {codes} w {config} albo wyłącz inne programy korzystające z tokenu"},
    "doctor.clock.ok": {"en": "within {secs} s of BaseLinker's server time",
                        "pl": "różnica z czasem serwera BaseLinkera: {secs} s"},
    "doctor.clock.off": {"en": "this machine's clock is {secs} s {way} BaseLinker's server time; order dates and "
                         "day windows shift by as much",
                         "pl": "zegar tego komputera {way} względem serwera BaseLinkera o {secs} s; daty zamówień "
                         "i okna dni przesuwają się o tyle samo"},
    "doctor.clock.behind": {"en": "behind", "pl": "spóźnia się"},
    "doctor.clock.ahead": {"en": "ahead of", "pl": "spieszy się"},
    "doctor.clock.fix": {"en": "turn on time synchronisation (Windows: Date and time > Sync now; Linux: "
                         "timedatectl set-ntp true)",
                         "pl": "włącz synchronizację czasu (Windows: Data i godzina > Synchronizuj teraz; Linux: "
                         "timedatectl set-ntp true)"},
    "doctor.clock.unknown": {"en": "not available: BaseLinker's answer carried no server time",
                             "pl": "niedostępne: odpowiedź BaseLinkera nie podała czasu serwera"},
    "doctor.clock.unknown_fix": {"en": "check the clock by hand against an internet time source",
                                 "pl": "porównaj zegar ręcznie z czasem z internetu"},
    "doctor.clock.no_baselinker": {"en": "not checked: no enabled plugin talks to BaseLinker",
                                   "pl": "nie sprawdzano: żadna włączona wtyczka nie łączy się z BaseLinkerem"},
    "doctor.plugins.none": {"en": "no plugin is enabled: the endpoint runs and does nothing",
                            "pl": "żadna wtyczka nie jest włączona: endpoint działa i nic nie robi"},
    "doctor.plugins.none_fix": {"en": "add [[plugins]] to {config} (sellintegro init writes them)",
                                "pl": "dodaj [[plugins]] do {config} (sellintegro init je zapisze)"},
    "doctor.plugin.no_checks": {"en": "the plugin type {type} declares no checks: nothing about {code} was tested",
                                "pl": "typ wtyczki {type} nie ma testów: niczego w {code} nie sprawdzono"},
    "doctor.plugin.no_checks_fix": {"en": "check {code} by hand: sellintegro run-now {code}, then sellintegro "
                                    "journal --plugin {code}",
                                    "pl": "sprawdź {code} ręcznie: sellintegro run-now {code}, potem sellintegro "
                                    "journal --plugin {code}"},
    "doctor.plugin.generic_fix": {"en": "correct what the line says in the settings of {code} in {config}, then "
                                  "sellintegro restart {code}",
                                  "pl": "popraw to, co wskazuje komunikat, w ustawieniach {code} w {config}, potem "
                                  "sellintegro restart {code}"},
    "doctor.processing.ok": {"en": "{state} for {uptime}; {details}", "pl": "{state} od {uptime}; {details}"},
    "doctor.processing.backlog": {"en": "backlog {done}/{total} done", "pl": "zaległe: {done}/{total} zrobione"},
    "doctor.processing.success": {"en": "last success {age} ago: {what}",
                                  "pl": "ostatni sukces {age} temu: {what}"},
    "doctor.processing.no_success": {"en": "no success journaled yet", "pl": "w dzienniku brak jeszcze sukcesu"},
    "doctor.processing.no_journal": {"en": "no journal entry yet", "pl": "brak wpisów w dzienniku"},
    "doctor.processing.errors": {"en": "{count} error(s) in the journal in the last 24 h",
                                 "pl": "błędów w dzienniku w ostatnich 24 h: {count}"},
    "doctor.processing.no_supervisor": {"en": "nothing is processed: the endpoint is not running ({details})",
                                        "pl": "nic nie jest przetwarzane: endpoint nie działa ({details})"},
    "doctor.processing.unknown": {"en": "the running supervisor does not know {code}: it was started with another "
                                  "config",
                                  "pl": "działający nadzorca nie zna {code}: uruchomiono go z inną konfiguracją"},
    "doctor.processing.restart_fix": {"en": "restart the endpoint with this config: sellintegro stop, then "
                                      "sellintegro run --config {config}",
                                      "pl": "uruchom endpoint z tą konfiguracją: sellintegro stop, potem "
                                      "sellintegro run --config {config}"},
    "doctor.processing.paused": {"en": "paused: nothing is processed; {details}",
                                 "pl": "wstrzymana: nic nie jest przetwarzane; {details}"},
    "doctor.processing.paused_fix": {"en": "sellintegro resume {code}", "pl": "sellintegro resume {code}"},
    "doctor.processing.failing": {"en": "{state} after {restarts} restart(s): {error}; {details}",
                                  "pl": "{state} po {restarts} restartach: {error}; {details}"},
    "doctor.processing.failing_fix": {"en": "read why: sellintegro logs --plugin {code} -n 50; fix it, then "
                                      "sellintegro restart {code}",
                                      "pl": "sprawdź przyczynę: sellintegro logs --plugin {code} -n 50; usuń ją, "
                                      "potem sellintegro restart {code}"},
    "doctor.processing.stopped": {"en": "{state}: nothing is processed; {details}",
                                  "pl": "{state}: nic nie jest przetwarzane; {details}"},
    "doctor.processing.last_error": {"en": "{state}, but the newest journal entry is an error: {what}; {details}",
                                     "pl": "{state}, ale najnowszy wpis w dzienniku to błąd: {what}; {details}"},
    "doctor.processing.last_error_fix": {"en": "sellintegro journal --plugin {code} --level error",
                                         "pl": "sellintegro journal --plugin {code} --level error"},
    "doctor.processing.journal_bad": {"en": "cannot read the journal {path}: {reason}",
                                      "pl": "nie można odczytać dziennika {path}: {reason}"},
    "doctor.processing.journal_fix": {"en": "check that this account may read the data directory",
                                      "pl": "sprawdź, czy to konto może czytać katalog danych"},
    # Demo (`sellintegro demo`: sellintegro/demo/)
    "demo.starting": {"en": "Sellintegro demo in {dir}: {orders} seeded orders, everything on this machine",
                      "pl": "Demo Sellintegro w {dir}: {orders} przykładowych zamówień, wszystko na tym komputerze"},
    "demo.simulators": {
        "en": "  BaseLinker emulator {url}\n  fiscal printer simulator {printer}\n  sample ERP {erp}\n"
        "  PDF folder {pdf}",
        "pl": "  emulator BaseLinkera {url}\n  symulator drukarki fiskalnej {printer}\n  przykładowy ERP {erp}\n"
        "  folder PDF {pdf}"},
    "demo.progress": {"en": "[{bar}] orders {done}/{total} · receipts {receipts}/{receipts_total} · "
                      "PDFs {pdfs}/{pdfs_total}",
                      "pl": "[{bar}] zamówienia {done}/{total} · paragony {receipts}/{receipts_total} · "
                      "PDF {pdfs}/{pdfs_total}"},
    "demo.summary.head": {"en": "Done in {seconds} s:", "pl": "Gotowe w {seconds} s:"},
    "demo.summary.orders": {
        "en": "orders: {done} of {total} confirmed orders -> {docs} ERP documents ({kinds}), status \"{status}\" "
        "written back to BaseLinker",
        "pl": "zamówienia: {done} z {total} potwierdzonych -> {docs} dokumentów w ERP ({kinds}), status "
        "\"{status}\" zapisany w BaseLinkerze"},
    "demo.summary.orders_failed": {"en": "  {count} order(s) refused, in status \"{status}\" (see the journal)",
                                   "pl": "  odrzucone: {count}, w statusie \"{status}\" (zobacz dziennik)"},
    "demo.summary.unconfirmed": {
        "en": "  {count} unconfirmed order(s) left alone: BaseLinker hides them until they are confirmed",
        "pl": "  niepotwierdzone: {count}, pominięte: BaseLinker ukrywa je do potwierdzenia"},
    "demo.summary.examples": {"en": "  e.g. order {examples}", "pl": "  np. zamówienie {examples}"},
    "demo.summary.receipts": {
        "en": "receipts: {done} of {total} fiscalized once ({printed} printed), fiscal numbers {numbers} sent to "
        "BaseLinker",
        "pl": "paragony: {done} z {total} zafiskalizowanych raz (wydrukowano {printed}), numery fiskalne "
        "{numbers} wysłane do BaseLinkera"},
    "demo.summary.receipts_failed": {"en": "  {count} receipt(s) could not be printed (see the journal)",
                                     "pl": "  nie wydrukowano: {count} (zobacz dziennik)"},
    "demo.summary.pdfs": {"en": "PDFs: {done} of {total} invoice PDFs uploaded to BaseLinker ({uploads})",
                          "pl": "PDF: {done} z {total} faktur PDF wysłanych do BaseLinkera ({uploads})"},
    "demo.where": {
        "en": "Receipt images: {receipts} ({count} PNG)\nPDF folder: {pdf} (uploaded files are in sent/)\n"
        "Logs: {logs}\nConfig: {config}\nJournal: sellintegro journal --config {config}",
        "pl": "Obrazy paragonów: {receipts} ({count} PNG)\nFolder PDF: {pdf} (wysłane pliki w sent/)\n"
        "Logi: {logs}\nKonfiguracja: {config}\nDziennik: sellintegro journal --config {config}"},
    "demo.kept": {
        "en": "Still running (Ctrl-C stops it). From another terminal:\n  sellintegro status --config {config}\n"
        "  sellintegro logs -f --config {config}\n  sellintegro doctor --config {config}\n"
        "  sellintegro tray --config {config}   (the tray and the log viewer, on a desktop)",
        "pl": "Działa dalej (Ctrl-C zatrzymuje). Z innego terminala:\n  sellintegro status --config {config}\n"
        "  sellintegro logs -f --config {config}\n  sellintegro doctor --config {config}\n"
        "  sellintegro tray --config {config}   (ikona w zasobniku i podgląd logów, na pulpicie)"},
    "demo.stopped": {"en": "Demo stopped; every worker has exited.",
                     "pl": "Demo zatrzymane; wszystkie procesy wtyczek zakończone."},
    "demo.interrupted": {"en": "demo interrupted before the seeded work was done; its state stays in {dir}",
                         "pl": "demo przerwane przed końcem pracy; jego stan zostaje w {dir}"},
    "demo.timeout": {
        "en": "the seeded work was not done within {seconds} s: orders {done}/{total}, receipts "
        "{receipts}/{receipts_total}, PDFs {pdfs}/{pdfs_total}; the logs say why: {logs}",
        "pl": "praca nie skończyła się w {seconds} s: zamówienia {done}/{total}, paragony "
        "{receipts}/{receipts_total}, PDF {pdfs}/{pdfs_total}; przyczyna w logach: {logs}"},
    "demo.printer_gone": {"en": "the printer simulator stopped (exit code {code}): receipts wait until it is back",
                          "pl": "symulator drukarki zatrzymał się (kod {code}): paragony czekają na jego powrót"},
    "demo.watch_failed": {"en": "the demo's progress watch failed: {reason}",
                          "pl": "śledzenie postępu demo zawiodło: {reason}"},
    "demo.bad_orders": {"en": "sellintegro demo: --orders must be 1 to {max}, not {value}",
                        "pl": "sellintegro demo: --orders musi wynosić od 1 do {max}, nie {value}"},
    "demo.not_a_folder": {"en": "{dir} is a file, not a folder; give another --dir",
                          "pl": "{dir} jest plikiem, nie folderem; podaj inny --dir"},
    "demo.not_ours": {"en": "{dir} is not empty and not a demo folder; give an empty or new --dir",
                      "pl": "{dir} nie jest pusty ani nie jest folderem demo; podaj pusty lub nowy --dir"},
    "demo.running": {"en": "a demo already runs in {dir} (pid {pid}); stop it first: sellintegro stop --config "
                     "{config}",
                     "pl": "w {dir} działa już demo (pid {pid}); najpierw je zatrzymaj: sellintegro stop --config "
                     "{config}"},
    # Init (`sellintegro init`: sellintegro/init.py)
    "init.welcome": {"en": "Sellintegro setup: the endpoint, the ERP, BaseLinker, then the plugins. Enter keeps "
                     "the value in [brackets].",
                     "pl": "Konfiguracja Sellintegro: endpoint, ERP, BaseLinker, potem wtyczki. Enter zostawia "
                     "wartość w [nawiasach]."},
    "init.ask.name": {"en": "Endpoint name", "pl": "Nazwa endpointu"},
    "init.ask.data_dir": {"en": "Data directory (state, logs, journal)", "pl": "Katalog danych (stan, logi, dziennik)"},
    "init.ask.erp": {"en": "ERP: a SQLite file or an ODBC connection string (DRIVER=...; or DSN=...)",
                     "pl": "ERP: plik SQLite albo ciąg połączenia ODBC (DRIVER=...; lub DSN=...)"},
    "init.ask.sample_erp": {"en": "{path} does not exist; create a sample ERP database there to try things out?",
                            "pl": "{path} nie istnieje; utworzyć tam przykładową bazę ERP do wypróbowania?"},
    "init.sample_created": {"en": "sample ERP created: {path}", "pl": "utworzono przykładowy ERP: {path}"},
    "init.ask.url": {"en": "BaseLinker API address", "pl": "Adres API BaseLinkera"},
    "init.ask.token": {"en": "BaseLinker API token (Settings > API; not shown)",
                       "pl": "Token API BaseLinkera (Ustawienia > API; niewidoczny)"},
    "init.ask.use_orders": {"en": "Orders from BaseLinker into ERP documents (orders)?",
                            "pl": "Zamówienia z BaseLinkera do dokumentów w ERP (orders)?"},
    "init.ask.use_fiscal": {"en": "Receipts printed on a POSNET fiscal printer (fiscal)?",
                            "pl": "Paragony drukowane na drukarce fiskalnej POSNET (fiscal)?"},
    "init.ask.use_pdf": {"en": "Invoice PDFs from a folder to BaseLinker (pdf)?",
                         "pl": "Faktury PDF z folderu do BaseLinkera (pdf)?"},
    "init.ask.document_type": {"en": "Document for an order: ZK, FS, PA or auto (FS when an invoice is wanted)",
                               "pl": "Dokument dla zamówienia: ZK, FS, PA lub auto (FS, gdy klient chce fakturę)"},
    "init.ask.status_ok": {"en": "BaseLinker status after a transfer (name or id; empty: leave it)",
                           "pl": "Status w BaseLinkerze po przeniesieniu (nazwa lub id; puste: bez zmiany)"},
    "init.ask.status_error": {"en": "BaseLinker status for a refused order (name or id; empty: leave it)",
                              "pl": "Status w BaseLinkerze dla odrzuconego zamówienia (nazwa lub id; puste: bez "
                              "zmiany)"},
    "init.ask.printer": {"en": "Fiscal printer (tcp://HOST[:PORT] or serial:PORT)",
                         "pl": "Drukarka fiskalna (tcp://HOST[:PORT] lub serial:PORT)"},
    "init.ask.receipt_series": {"en": "BaseLinker receipt series id", "pl": "Id serii paragonów w BaseLinkerze"},
    "init.ask.folders": {"en": "PDF folders (separated by ;)", "pl": "Foldery PDF (oddzielone ;)"},
    "init.ask.invoice_series": {"en": "BaseLinker invoice series id to issue missing invoices (empty: none)",
                                "pl": "Id serii faktur BaseLinkera do wystawiania brakujących faktur (puste: brak)"},
    "init.ask.replace": {"en": "{path} exists; replace it?", "pl": "{path} istnieje; zastąpić?"},
    "init.yes_no_default_yes": {"en": "Y/n", "pl": "T/n"},
    "init.yes_no_default_no": {"en": "y/N", "pl": "t/N"},
    "init.statuses": {"en": "statuses: {statuses}", "pl": "statusy: {statuses}"},
    "init.series": {"en": "series: {series}", "pl": "serie: {series}"},
    "init.not_a_number": {"en": "\"{value}\" is not an id (a whole number above 0)",
                          "pl": "\"{value}\" nie jest identyfikatorem (liczba całkowita większa od 0)"},
    "init.erp_ok": {"en": "ERP ok: {target}", "pl": "ERP w porządku: {target}"},
    "init.bl_ok": {"en": "BaseLinker ok: {url} accepts the token ({statuses} statuses, {series} series)",
                   "pl": "BaseLinker w porządku: {url} przyjmuje token (statusów: {statuses}, serii: {series})"},
    "init.erp_no_file": {"en": "--erp {value}: no such file (for a sample ERP: sellintegro sim erp --create {value})",
                         "pl": "--erp {value}: nie ma takiego pliku (przykładowy ERP: sellintegro sim erp --create "
                         "{value})"},
    "init.erp_failed": {"en": "--erp {value}: cannot open the ERP: {reason}",
                        "pl": "--erp {value}: nie można otworzyć ERP: {reason}"},
    "init.erp_schema": {"en": "--erp {value}: not a Subiekt-GT-compatible database: {reason}",
                        "pl": "--erp {value}: to nie jest baza zgodna z Subiektem GT: {reason}"},
    "init.bl_url": {"en": "--baselinker-url {value}: {reason}", "pl": "--baselinker-url {value}: {reason}"},
    "init.bl_token": {"en": "--token: {url} refuses the token (ERROR_BAD_TOKEN); copy it again from BaseLinker "
                      "(Settings > API)",
                      "pl": "--token: {url} odrzuca token (ERROR_BAD_TOKEN); skopiuj go ponownie z BaseLinkera "
                      "(Ustawienia > API)"},
    "init.bl_failed": {"en": "--baselinker-url {value}: cannot ask BaseLinker: {reason}",
                       "pl": "--baselinker-url {value}: nie można zapytać BaseLinkera: {reason}"},
    "init.bad_status": {"en": "{flag} {value}: no such status in BaseLinker (there: {known})",
                        "pl": "{flag} {value}: nie ma takiego statusu w BaseLinkerze (są: {known})"},
    "init.bad_series": {"en": "{flag} {value}: not a {kind} series in BaseLinker (there: {known})",
                        "pl": "{flag} {value}: to nie jest seria {kind} w BaseLinkerze (są: {known})"},
    "init.bad_folder": {"en": "--pdf-folder {value}: not a folder this account can reach",
                        "pl": "--pdf-folder {value}: to nie jest folder dostępny dla tego konta"},
    "init.bad_plugins": {"en": "--plugins: unknown plugin(s) {value} (known: {known})",
                         "pl": "--plugins: nieznane wtyczki {value} (znane: {known})"},
    "init.no_plugins": {"en": "--plugins: choose at least one of {known}", "pl": "--plugins: wybierz co najmniej "
                        "jedną z {known}"},
    "init.missing": {"en": "missing: {flags}", "pl": "brakuje: {flags}"},
    "init.invalid": {"en": "the config would not load ({count} problem(s)):",
                     "pl": "konfiguracja nie dałaby się wczytać (problemów: {count}):"},
    "init.exists": {"en": "{path} exists; --force replaces it", "pl": "{path} istnieje; --force go zastąpi"},
    "init.refused": {"en": "sellintegro init: nothing written to {path}: {reason}",
                     "pl": "sellintegro init: nic nie zapisano do {path}: {reason}"},
    "init.cancelled": {"en": "sellintegro init: cancelled; nothing written to {path}",
                       "pl": "sellintegro init: przerwano; nic nie zapisano do {path}"},
    "init.written": {"en": "wrote {path} (readable only by you: it holds the token); plugins: {plugins}\n"
                     "next: sellintegro doctor --config {path}, then sellintegro run --config {path}",
                     "pl": "zapisano {path} (tylko do odczytu przez Ciebie: zawiera token); wtyczki: {plugins}\n"
                     "dalej: sellintegro doctor --config {path}, potem sellintegro run --config {path}"},
}


def language() -> str:
    """The user's language: SELLINTEGRO_LANG, then the locale; Polish on a Polish system, English otherwise."""
    forced = os.environ.get("SELLINTEGRO_LANG", "").lower()
    if forced in ("pl", "en"):
        return forced
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "pl" if value.lower().startswith("pl") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "pl" if loc.lower().startswith(("pl", "polish")) else "en"


def render(catalog: dict[str, dict[str, str]], msg_id: str, lang: str | None = None, **fields: object) -> str:
    """`msg_id` of `catalog` in `lang` (default: the user's language; English where a text lacks it).

    The one lookup for every text table: this catalog, and the tables packages keep beside their code
    (sellintegro/fiscal/texts.py, sellintegro/service/texts.py, plugins/*/texts.py).
    """
    texts = catalog[msg_id]
    return texts.get(lang or language(), texts["en"]).format(**fields)


def msg(msg_id: str, /, lang: str | None = None, **fields: object) -> str:
    """The catalog text `msg_id` in `lang` (default: the user's language), filled with `fields`."""
    return render(_CATALOG, msg_id, lang, **fields)
