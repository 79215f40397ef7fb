"""The texts a person reads from the service modes, in Polish and English (same shape as messages.py)."""

from __future__ import annotations

from ..messages import render

_CATALOG: dict[str, dict[str, str]] = {
    # -- preflight refusals: nothing was changed -----------------------------------------------------------
    "nothing_changed": {"en": "Nothing was changed.", "pl": "Niczego nie zmieniono."},
    "need_admin": {
        "en": "installing or controlling the Windows service needs an elevated prompt: right-click the "
        "terminal, choose \"Run as administrator\" and run the command again.",
        "pl": "instalacja i sterowanie usługą Windows wymagają uprawnień administratora: kliknij terminal "
        "prawym przyciskiem, wybierz „Uruchom jako administrator” i wykonaj polecenie ponownie.",
    },
    "need_root": {
        "en": "installing or controlling the systemd service needs root: run the command with sudo.",
        "pl": "instalacja i sterowanie usługą systemd wymagają uprawnień roota: użyj sudo.",
    },
    "no_systemctl": {
        "en": "this machine has no systemd (no systemctl command); the service modes on Linux need it. "
        "Stay in application mode, or run `sellintegro run --headless` under your own init system.",
        "pl": "ten komputer nie ma systemd (brak polecenia systemctl); tryby usługi na Linuksie go wymagają. "
        "Zostań w trybie aplikacji albo uruchamiaj `sellintegro run --headless` własnym systemem startowym.",
    },
    "systemd_not_running": {
        "en": "systemd is not running here (PID 1 is {pid1}), so a service could not be started. "
        "Stay in application mode, or run `sellintegro run --headless` under your own init system. "
        "(To prepare an image for a machine that boots with systemd, use --root DIR.)",
        "pl": "systemd tu nie działa (PID 1 to {pid1}), więc usługi nie da się uruchomić. Zostań w trybie "
        "aplikacji albo uruchamiaj `sellintegro run --headless` własnym systemem startowym. (Obraz dla "
        "komputera startującego z systemd przygotujesz z opcją --root KATALOG.)",
    },
    "no_machine_config": {
        "en": "{path} does not exist. A service reads the machine-wide config; `sellintegro mode {mode}` "
        "creates it from your config and moves your data there.",
        "pl": "{path} nie istnieje. Usługa czyta konfigurację całego komputera; `sellintegro mode {mode}` "
        "utworzy ją z Twojej konfiguracji i przeniesie tam dane.",
    },
    "data_dir_implicit": {
        "en": "{path} does not set [endpoint].data_dir. Under a service account the default would be that "
        "account's profile, not a machine-wide directory. Set data_dir = \"{suggest}\" or use "
        "`sellintegro mode {mode}`, which does it for you.",
        "pl": "{path} nie ustawia [endpoint].data_dir. Na koncie usługi domyślny katalog leżałby w profilu "
        "tego konta, a nie w katalogu całego komputera. Ustaw data_dir = \"{suggest}\" albo użyj "
        "`sellintegro mode {mode}`, które zrobi to za Ciebie.",
    },
    "app_running": {
        "en": "an application-mode endpoint is running (pid {pid}, config {config}). A service next to it "
        "would process the same orders twice. `sellintegro mode {mode}` stops it first and moves its data.",
        "pl": "działa endpoint w trybie aplikacji (pid {pid}, konfiguracja {config}). Usługa obok niego "
        "przetwarzałaby te same zamówienia dwa razy. `sellintegro mode {mode}` najpierw go zatrzyma "
        "i przeniesie dane.",
    },
    "second_endpoint": {
        "en": "this machine runs the endpoint as a service ({mode}, config {config}); a second endpoint in "
        "application mode would process the same orders twice. Use the tray or `sellintegro status "
        "--config {config}`, or switch back with `sellintegro mode application`.",
        "pl": "ten komputer uruchamia endpoint jako usługę ({mode}, konfiguracja {config}); drugi endpoint "
        "w trybie aplikacji przetwarzałby te same zamówienia dwa razy. Użyj traya albo `sellintegro status "
        "--config {config}`, albo wróć poleceniem `sellintegro mode application`.",
    },
    "no_such_user": {
        "en": "there is no account {user} on this machine.",
        "pl": "na tym komputerze nie ma konta {user}.",
    },
    "user_is_root": {
        "en": "--account user runs the service as a chosen ordinary account; for root use --account system.",
        "pl": "--account user uruchamia usługę na wybranym zwykłym koncie; dla roota użyj --account system.",
    },
    "user_needs_account": {
        "en": "--user is given only with --account user.",
        "pl": "--user podaje się tylko z --account user.",
    },
    # -- Windows account checks ------------------------------------------------------------------------------
    "password_prompt": {
        "en": "Password of the Windows account {account} (the account's password, not the PIN): ",
        "pl": "Hasło konta Windows {account} (hasło do konta, nie PIN): ",
    },
    "password_stdin_empty": {
        "en": "no password arrived on standard input (one line is read).",
        "pl": "na standardowym wejściu nie było hasła (czytany jest jeden wiersz).",
    },
    "empty_password": {
        "en": "no password for {account}. A Windows service cannot log on to an account without a password: "
        "give the account a password (the account's password, not a Windows Hello PIN) and try again.",
        "pl": "brak hasła dla {account}. Usługa Windows nie zaloguje się na konto bez hasła: ustaw kontu "
        "hasło (hasło konta, nie PIN Windows Hello) i spróbuj ponownie.",
    },
    "wrong_password": {
        "en": "Windows refused the password of {account} (error 1326: the user name or password is "
        "incorrect). Type the account's password, not the Windows Hello PIN that unlocks the desktop; "
        "with a Microsoft account, it is the password of that Microsoft account.{pin}",
        "pl": "Windows odrzucił hasło konta {account} (błąd 1326: nieprawidłowa nazwa użytkownika lub "
        "hasło). Podaj hasło do konta, a nie PIN Windows Hello, którym odblokowujesz pulpit; przy koncie "
        "Microsoft to hasło tego konta Microsoft.{pin}",
    },
    "pin_hint": {
        "en": " What was typed is {n} digits, which looks like a PIN.",
        "pl": " Wpisano {n} cyfr, co wygląda na PIN.",
    },
    "logon_refused": {
        "en": "Windows refused to log on {account}: {reason} (error {code}).",
        "pl": "Windows odmówił zalogowania {account}: {reason} (błąd {code}).",
    },
    "no_such_account": {
        "en": "Windows knows no account {account} (error 1332). Give it as .\\NAME for a local account or "
        "DOMAIN\\NAME for a domain account.",
        "pl": "Windows nie zna konta {account} (błąd 1332). Podaj je jako .\\NAZWA (konto lokalne) albo "
        "DOMENA\\NAZWA (konto domenowe).",
    },
    "reason.1327": {"en": "an account restriction (often: blank passwords are not allowed)",
                    "pl": "ograniczenie konta (często: puste hasła są niedozwolone)"},
    "reason.1330": {"en": "the password has expired", "pl": "hasło wygasło"},
    "reason.1331": {"en": "the account is disabled", "pl": "konto jest wyłączone"},
    "reason.1793": {"en": "the account has expired", "pl": "konto wygasło"},
    "reason.1907": {"en": "the password must be changed before the first logon",
                    "pl": "hasło trzeba zmienić przed pierwszym logowaniem"},
    "reason.1909": {"en": "the account is locked out after too many wrong passwords",
                    "pl": "konto jest zablokowane po zbyt wielu błędnych hasłach"},
    "reason.1311": {"en": "no domain controller answers to check the password",
                    "pl": "żaden kontroler domeny nie odpowiada, by sprawdzić hasło"},
    "reason.other": {"en": "see the Windows error code", "pl": "zobacz kod błędu Windows"},
    # -- results ---------------------------------------------------------------------------------------------
    "dry_run_header": {
        "en": "Dry run: this is what would be done; nothing was changed.",
        "pl": "Próba (--dry-run): tak wyglądałyby zmiany; niczego nie zmieniono.",
    },
    "installed": {
        "en": "Service {name} installed ({mode}, account {account}); it starts at boot. "
        "Start it now: `sellintegro service start`.",
        "pl": "Usługa {name} zainstalowana ({mode}, konto {account}); uruchomi się przy starcie systemu. "
        "Uruchom ją teraz: `sellintegro service start`.",
    },
    "uninstalled": {
        "en": "Service {name} removed. The config ({config}) and the data ({data}) are kept.",
        "pl": "Usługa {name} usunięta. Konfiguracja ({config}) i dane ({data}) zostały zachowane.",
    },
    "not_installed": {"en": "Service {name} is not installed.", "pl": "Usługa {name} nie jest zainstalowana."},
    "started": {"en": "Service {name} is running.", "pl": "Usługa {name} działa."},
    "stopped": {"en": "Service {name} is stopped.", "pl": "Usługa {name} jest zatrzymana."},
    "not_started": {
        "en": "Service {name} did not reach {state} within {secs:.0f} s (now: {now}). Its log: {log}",
        "pl": "Usługa {name} nie osiągnęła stanu {state} w ciągu {secs:.0f} s (teraz: {now}). Jej log: {log}",
    },
    "logon_right_granted": {
        "en": "Granted \"Log on as a service\" (SeServiceLogonRight) to {account}.",
        "pl": "Nadano {account} prawo „Logowanie w trybie usługi” (SeServiceLogonRight).",
    },
    "attach_group": {
        "en": "Members of group {group} (and root) may attach a tray or `sellintegro logs -f`: "
        "`sudo usermod -aG {group} NAME` adds one (effective at their next login).",
        "pl": "Członkowie grupy {group} (i root) mogą podłączyć tray albo `sellintegro logs -f`: "
        "`sudo usermod -aG {group} NAZWA` dodaje osobę (od jej następnego logowania).",
    },
    # -- mode switch -------------------------------------------------------------------------------------------
    "mode_same": {
        "en": "This machine is already in mode {mode}.",
        "pl": "Ten komputer już pracuje w trybie {mode}.",
    },
    "mode_switched": {
        "en": "Mode {old} -> {new}: done. The endpoint runs as {account} (supervisor pid {pid}); "
        "config {config}; data {data}.",
        "pl": "Tryb {old} -> {new}: gotowe. Endpoint działa jako {account} (pid nadzorcy {pid}); "
        "konfiguracja {config}; dane {data}.",
    },
    "mode_failed": {
        "en": "Mode {old} -> {new} failed at \"{step}\": {reason}",
        "pl": "Zmiana trybu {old} -> {new} nie powiodła się na kroku „{step}”: {reason}",
    },
    "mode_rolled_back": {
        "en": "Rolled back: the machine is in mode {old} again, with its data where it was.",
        "pl": "Wycofano zmiany: komputer znów pracuje w trybie {old}, a dane są tam, gdzie były.",
    },
    "mode_rollback_failed": {
        "en": "Rolling back failed at \"{step}\": {reason}. The steps that ran are listed above; "
        "fix the cause and run `sellintegro mode {old}`.",
        "pl": "Wycofanie zmian nie powiodło się na kroku „{step}”: {reason}. Wykonane kroki są wypisane "
        "wyżej; usuń przyczynę i uruchom `sellintegro mode {old}`.",
    },
    "app_start_later": {
        "en": "The application-mode endpoint starts at your next login (autostart), or now with: {command}",
        "pl": "Endpoint w trybie aplikacji uruchomi się przy następnym logowaniu (autostart) albo od razu: "
        "{command}",
    },
    "moved_aside": {
        "en": "The old copy stays at {path} until you delete it.",
        "pl": "Stara kopia zostaje w {path}, dopóki jej nie usuniesz.",
    },
    # -- checklist (the seed's list after every change of mode) ------------------------------------------------
    "checklist.header": {
        "en": "After a change of run mode, check that the plugins work (checks run as {account}):",
        "pl": "Po każdej zmianie trybu sprawdź, czy wtyczki działają (testy wykonane jako {account}):",
    },
    "checklist.a": {"en": "a) orders are processed", "pl": "a) zamówienia się przetwarzają"},
    "checklist.b": {"en": "b) PA/FS receipts and invoices print and fiscalize",
                    "pl": "b) PA/FS drukują się i fiskalizują"},
    "checklist.c": {"en": "c) the PDF plugin reaches its folders and adds files",
                    "pl": "c) wtyczka PDF ma dostęp do katalogów i dodaje pliki"},
    "checklist.none": {
        "en": "no plugin of type \"{type}\" is configured",
        "pl": "nie skonfigurowano wtyczki typu „{type}”",
    },
    "checklist.no_checks": {
        "en": "plugin type \"{type}\" declares no checks; watch "
        "`sellintegro journal --plugin {code}` after its next cycle",
        "pl": "typ wtyczki „{type}” nie deklaruje testów; obserwuj "
        "`sellintegro journal --plugin {code}` po jej następnym cyklu",
    },
    "checklist.other": {"en": "other plugins", "pl": "pozostałe wtyczki"},
    "checklist.unavailable": {
        "en": "The plugin checks could not run: {reason}",
        "pl": "Nie udało się wykonać testów wtyczek: {reason}",
    },
    "checklist.limits": {
        "en": "What the machine cannot check here: `sellintegro doctor` is not built yet, so only the checks "
        "the plugin types declare ran. The final proof is a real cycle: watch `sellintegro journal` "
        "for new orders, printed receipts and uploaded PDFs.",
        "pl": "Czego komputer tu nie sprawdzi: `sellintegro doctor` jeszcze nie istnieje, więc wykonano tylko "
        "testy zadeklarowane przez typy wtyczek. Ostatecznym dowodem jest prawdziwy cykl: obserwuj "
        "`sellintegro journal` (nowe zamówienia, wydrukowane paragony, wysłane PDF-y).",
    },
    # -- warnings: what the new account lacks ------------------------------------------------------------------
    "warn.mapped_drive": {
        "en": "{where} = \"{value}\": drive {drive} is a letter mapped in a desktop session; a service does "
        "not see mapped drives. Use the UNC path (\\\\server\\share\\...) instead.",
        "pl": "{where} = „{value}”: dysk {drive} to litera zmapowana w sesji pulpitu; usługa nie widzi "
        "zmapowanych dysków. Użyj ścieżki UNC (\\\\serwer\\udział\\...).",
    },
    "warn.share_system": {
        "en": "{where} = \"{value}\" is a network share. SYSTEM reaches shares as the computer account, which "
        "outside a domain has no access: choose service-user with an account that can open the share.",
        "pl": "{where} = „{value}” to udział sieciowy. SYSTEM łączy się z udziałami jako konto komputera, "
        "które poza domeną nie ma dostępu: wybierz service-user z kontem, które otwiera ten udział.",
    },
    "warn.printer_system": {
        "en": "{where} = \"{value}\" names a Windows printer. Printers added for one user are not visible to "
        "SYSTEM: install it for all users, or choose service-user with the account that prints today.",
        "pl": "{where} = „{value}” to drukarka Windows. Drukarki dodane dla jednego użytkownika nie są "
        "widoczne dla SYSTEM: zainstaluj ją dla wszystkich albo wybierz service-user z kontem, które "
        "dziś drukuje.",
    },
    "warn.user_dsn": {
        "en": "{where}: an ODBC DSN defined as a User DSN is invisible to other accounts; define \"{dsn}\" "
        "as a System DSN (ODBC Data Sources, System DSN tab).",
        "pl": "{where}: źródło ODBC zdefiniowane jako DSN użytkownika jest niewidoczne dla innych kont; "
        "zdefiniuj „{dsn}” jako systemowe DSN (Źródła danych ODBC, karta Systemowe DSN).",
    },
    "warn.home_path": {
        "en": "{where} = \"{value}\" lies in the home folder of {owner}; the account {account} may not "
        "be allowed there.",
        "pl": "{where} = „{value}” leży w katalogu domowym {owner}; konto {account} może nie mieć tam "
        "dostępu.",
    },
    "warn.relative_path": {
        "en": "{where} = \"{value}\" is relative to the config file, which moves to {new}: use an absolute path.",
        "pl": "{where} = „{value}” jest względna wobec pliku konfiguracji, który przenosi się do {new}: "
        "użyj ścieżki bezwzględnej.",
    },
    "warn.kind_needs_user": {
        "en": "plugin {code} (type {type}) usually needs a desktop user's printers, folders or shares; "
        "under SYSTEM check (b)/(c) below with extra care.",
        "pl": "wtyczka {code} (typ {type}) zwykle potrzebuje drukarek, folderów lub udziałów użytkownika "
        "pulpitu; pod kontem SYSTEM sprawdź punkty (b)/(c) szczególnie uważnie.",
    },
    "warn.python_in_profile": {
        "en": "Python runs from a user profile ({python}); another service account may not read it. Install "
        "Python for all users (C:\\Program Files) or use the Sellintegro.exe build.",
        "pl": "Python działa z profilu użytkownika ({python}); inne konto usługi może nie mieć do niego dostępu. "
        "Zainstaluj Pythona dla wszystkich użytkowników (C:\\Program Files) albo użyj wersji Sellintegro.exe.",
    },
    "warn.python_venv": {
        "en": "Python runs from a virtual environment ({python}), whose python.exe starts another process; "
        "a service may then fail to start (error 1053). Prefer the Sellintegro.exe build or a plain Python.",
        "pl": "Python działa ze środowiska wirtualnego ({python}), którego python.exe uruchamia kolejny proces; "
        "usługa może się wtedy nie uruchomić (błąd 1053). Lepiej użyć Sellintegro.exe albo zwykłego Pythona.",
    },
    "warn.header": {
        "en": "Warnings about the new account:",
        "pl": "Ostrzeżenia dotyczące nowego konta:",
    },
}


def text(msg_id: str, /, lang: str | None = None, **fields: object) -> str:
    """The catalog text `msg_id` in `lang` (default: the user's language), filled with `fields`."""
    return render(_CATALOG, msg_id, lang, **fields)
