#!/usr/bin/env bash
# Synchronisation Copper ↔ Mailchimp : lancement manuel avec vérifications et résumé clair.
#   bin/run_sync.sh [--sandbox] [--reset] [--dry-run] [--confirm-plan] [--pair NOM] [--daemon] [--verbose] [--cron] [--help]
# Codes de sortie (ceux du programme) : 0 succès, 1 des contacts en erreur, 2 configuration ou connexion,
# 3 plan bloqué par le frein de sécurité, 4 une autre synchronisation était en cours, 5 rapports non écrits.
set -u
umask 077   # journaux, rapports, état : des noms et des e-mails, lisibles par le seul propriétaire

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="target/copper-mailchimp-sync.jar"
LOG_DIR="logs"
RUN_LOG="$LOG_DIR/run_sync.log"
CRON_LOG="$LOG_DIR/sync_cron.log"
# Rotation by size, by this script (no logrotate needed): past LOG_MAX_KB, file -> file.1 -> ... -> file.LOG_KEEP.
LOG_MAX_KB="${SYNC_LOG_MAX_KB:-1024}"
LOG_KEEP="${SYNC_LOG_KEEP:-5}"

# rotate FILE: when FILE is larger than LOG_MAX_KB, shift it to FILE.1 (FILE.1 to FILE.2 ...), the oldest dropped
rotate() {
    local file="$1" size i
    [ -f "$file" ] || return 0
    size=$(wc -c < "$file" 2>/dev/null || echo 0)
    [ "$size" -gt $((LOG_MAX_KB * 1024)) ] || return 0
    rm -f "$file.$LOG_KEEP"
    for ((i = LOG_KEEP - 1; i >= 1; i--)); do
        [ -f "$file.$i" ] && mv -f "$file.$i" "$file.$((i + 1))"
    done
    mv -f "$file" "$file.1"
}

usage() {
    cat <<'USAGE'
Usage : bin/run_sync.sh [options]

Lance une synchronisation Copper ↔ Mailchimp, puis affiche le résumé et l'emplacement des rapports.

Options :
  --sandbox    utiliser le bac à sable intégré (données de démonstration, aucun compte réel, pas de .env)
  --reset      avec --sandbox : repartir des données de démonstration
  --dry-run    simulation : tout est calculé et rapporté, rien n'est écrit dans Copper ni Mailchimp
  --confirm-plan  exécuter un plan que le frein de sécurité a bloqué (après l'avoir relu dans le rapport)
  --pair NOM   avec plusieurs audiences (pairs= dans config/application.properties) : synchroniser seulement
               la paire NOM ; sans --pair, chaque paire est synchronisée à son tour, avec un résumé par paire
  --daemon     lancer le service permanent (synchronise selon sync.cron) au lieu d'une seule synchronisation
  --verbose    afficher le journal technique complet pendant l'exécution
  --cron       pour la tâche planifiée (bin/setup_cron.sh) : écrit seulement le résultat et le résumé dans
               logs/sync_cron.log (tourné au-delà de 1 Mo, 5 fichiers gardés), le journal technique restant à part
  -h, --help   afficher cette aide

Codes de sortie :
  0  succès
  1  synchronisation faite, mais des écritures de contacts ont échoué (voir le rapport)
  2  synchronisation impossible : erreur de configuration, de connexion ou d'état
  3  plan bloqué par le frein de sécurité : rien n'a été écrit (relire le rapport, puis --confirm-plan)
  4  une autre synchronisation était en cours : celle-ci n'a pas été lancée
  5  synchronisation faite, mais les rapports n'ont pas pu être écrits (disque plein, dossier protégé ?)
USAGE
}

SANDBOX=0; DAEMON=0; VERBOSE=0; CRON=0; PAIR=""
PASS=()
while [ $# -gt 0 ]; do
    arg="$1"; shift
    case "$arg" in
        --pair) if [ $# -eq 0 ] || [ -z "$1" ]; then echo "❌ --pair attend un nom de paire (voir pairs= dans config/application.properties)" >&2; exit 2; fi
                PAIR="$1"; shift; PASS+=("--pair" "$PAIR") ;;
        --pair=*) PAIR="${arg#--pair=}"; PASS+=("--pair" "$PAIR") ;;
        --sandbox) SANDBOX=1; PASS+=("--sandbox") ;;
        --reset) PASS+=("--reset") ;;
        --dry-run) PASS+=("--dry-run") ;;
        --confirm-plan) PASS+=("--confirm-plan") ;;
        --daemon) DAEMON=1 ;;
        --verbose|-v) VERBOSE=1 ;;
        --cron) CRON=1 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "❌ Option inconnue : $arg" >&2; usage >&2; exit 2 ;;
    esac
done

cd "$PROJECT_DIR" || exit 2

# say: the progress lines a person at a terminal reads; the cron log keeps only the result and the summary
say() { [ "$CRON" = 1 ] || echo "$@"; }

if [ "$CRON" = 1 ]; then
    mkdir -p "$LOG_DIR"
    rotate "$CRON_LOG"
    exec >> "$CRON_LOG" 2>&1
    echo
    # one clock: the settings' zone (report.timezone, as the reports' names and dates), else the machine's
    ZONE="$(sed -n "s/^[[:space:]]*\(report\.\)\{0,1\}timezone[[:space:]]*=[[:space:]]*//p" config/application.properties 2>/dev/null | tail -1 | sed "s/[[:space:]]*\$//")"
    echo "===== $(TZ="${ZONE:-Europe/Paris}" date '+%Y-%m-%d %H:%M:%S %Z') : synchronisation automatique"
fi

say "================================================================"
say "🔄 SYNCHRONISATION COPPER ↔ MAILCHIMP"
say "================================================================"
say "📁 Dossier : $PROJECT_DIR"
say

# ------------------------------------------------------------------ prérequis
say "🔍 Vérification des prérequis..."
if ! command -v java >/dev/null 2>&1; then
    echo "❌ Java n'est pas installé (commande « java » introuvable dans le PATH)."
    echo "   Installez Java 17 ou plus récent (par exemple : sudo apt install openjdk-17-jre), puis relancez."
    exit 2
fi
JAVA_VERSION_LINE="$(java -version 2>&1 | grep -m1 -i 'version')"
JAVA_VERSION="$(printf '%s' "$JAVA_VERSION_LINE" | sed -n 's/.*version "\([^"]*\)".*/\1/p')"
JAVA_MAJOR="${JAVA_VERSION%%.*}"
if [ "$JAVA_MAJOR" = "1" ]; then   # ancien format 1.8.0_xxx
    JAVA_MAJOR="$(printf '%s' "$JAVA_VERSION" | cut -d. -f2)"
fi
case "$JAVA_MAJOR" in ''|*[!0-9]*) JAVA_MAJOR=0 ;; esac
if [ "$JAVA_MAJOR" -lt 17 ]; then
    echo "❌ Java 17 ou plus récent est requis ; version trouvée : ${JAVA_VERSION:-inconnue} ($(command -v java))."
    echo "   Installez Java 17+ et placez-le en tête du PATH, puis relancez."
    exit 2
fi
say "✅ Java $JAVA_VERSION"

if [ ! -f "$JAR" ]; then
    echo "⚠️ Programme non construit ($JAR absent)."
    if ! command -v mvn >/dev/null 2>&1; then
        echo "❌ Maven (« mvn ») est introuvable : impossible de construire le programme."
        echo "   Installez Maven 3.8+ puis lancez : mvn -B -q package -DskipTests"
        exit 2
    fi
    echo "🔨 Construction du programme (mvn -B -q package -DskipTests), patientez..."
    if ! mvn -B -q package -DskipTests || [ ! -f "$JAR" ]; then
        echo "❌ La construction a échoué : voir les messages de Maven ci-dessus."
        exit 2
    fi
fi
say "✅ Programme : $JAR"

# the declared sync pairs (pairs= of config/application.properties), empty for today's single pair
conf_value() { sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" config/application.properties 2>/dev/null | tail -1 | sed "s/[[:space:]]*\$//"; }
PAIRS="$(conf_value pairs | tr ',' ' ')"
if [ "$SANDBOX" = 1 ]; then
    say "✅ Bac à sable : pas besoin de .env (données de démonstration)"
elif [ -n "$PAIRS" ]; then
    # clés préfixées par paire (EN_MAILCHIMP_LIST_ID…) ou communes : le programme vérifie chacune et nomme celle qui manque
    say "✅ Paires déclarées : $PAIRS (clés de .env vérifiées par le programme)"
else
    MISSING=()
    for key in COPPER_API_KEY COPPER_API_EMAIL MAILCHIMP_API_KEY MAILCHIMP_LIST_ID; do
        if [ -n "${!key:-}" ]; then continue; fi   # une vraie variable d'environnement remplace .env
        if [ -f .env ] && grep -Eq "^[[:space:]]*(export[[:space:]]+)?$key[[:space:]]*=[[:space:]]*[^[:space:]]" .env; then continue; fi
        MISSING+=("$key")
    done
    # MAILCHIMP_DC n'est utile que si la clé Mailchimp ne finit pas par -usNN
    MC_KEY="${MAILCHIMP_API_KEY:-}"
    if [ -z "$MC_KEY" ] && [ -f .env ]; then
        MC_KEY="$(grep -E "^[[:space:]]*(export[[:space:]]+)?MAILCHIMP_API_KEY[[:space:]]*=" .env | tail -1 | sed -e 's/^[^=]*=[[:space:]]*//' -e 's/[[:space:]]*$//' -e 's/^["'\'']//' -e 's/["'\'']$//')"
    fi
    if [ -n "$MC_KEY" ] && ! printf '%s' "$MC_KEY" | grep -Eq -- '-[a-z]+[0-9]+$'; then
        if [ -z "${MAILCHIMP_DC:-}" ] && ! { [ -f .env ] && grep -Eq "^[[:space:]]*(export[[:space:]]+)?MAILCHIMP_DC[[:space:]]*=[[:space:]]*[^[:space:]]" .env; }; then
            MISSING+=("MAILCHIMP_DC")
        fi
    fi
    if [ ! -f .env ] && [ ${#MISSING[@]} -gt 0 ]; then
        echo "❌ Fichier .env introuvable dans $PROJECT_DIR"
        echo "   Créez-le (modèle : .env.example) avec : ${MISSING[*]}"
        echo "   Pour essayer sans compte réel : bin/run_sync.sh --sandbox"
        exit 2
    fi
    if [ ${#MISSING[@]} -gt 0 ]; then
        echo "❌ Clé(s) manquante(s) dans .env : ${MISSING[*]}"
        echo "   Ajoutez-les dans $PROJECT_DIR/.env (une ligne CLE=valeur chacune), puis relancez."
        exit 2
    fi
    say "✅ Fichier .env complet"
fi
say

# ------------------------------------------------------------------ service permanent
if [ "$DAEMON" = 1 ]; then
    echo "🚀 Démarrage du service permanent (synchronisation selon sync.cron de config/application.properties)"
    echo "   Arrêt : Ctrl+C, ou bin/stop_sync.sh depuis un autre terminal."
    exec java -jar "$JAR" ${PASS[@]+"${PASS[@]}"}
fi

# ------------------------------------------------------------------ une synchronisation
mkdir -p "$LOG_DIR"
rotate "$RUN_LOG"
REPORTS_DIR="$(sed -n "s/^[[:space:]]*paths\.reports-dir[[:space:]]*=[[:space:]]*//p" config/application.properties 2>/dev/null | tail -1 | sed "s/[[:space:]]*\$//")"
REPORTS_DIR="${REPORTS_DIR:-reports}"
if [ "$SANDBOX" = 1 ]; then   # le bac à sable garde ses rapports à part, avec son état
    DATA_DIR="$(sed -n "s/^[[:space:]]*paths\.data-dir[[:space:]]*=[[:space:]]*//p" config/application.properties 2>/dev/null | tail -1 | sed "s/[[:space:]]*\$//")"
    REPORTS_DIR="${DATA_DIR:-data}/sandbox/reports"
fi
newest_report() { ls -1 "${1:-$REPORTS_DIR}"/import_report_*.json 2>/dev/null | sort | tail -n 1; }
# the pairs this run syncs, and each one's reports folder (its own pair.NOM.paths.reports-dir, else REPORTS_DIR/NOM)
RUN_PAIRS=""
if [ -n "$PAIRS" ]; then RUN_PAIRS="${PAIR:-$PAIRS}"; fi
# (the sandbox keeps every pair's reports in its own folder: data/sandbox/reports/NOM, whatever the file says)
pair_reports_dir() {
    local own=""
    [ "$SANDBOX" = 1 ] || own="$(conf_value "pair\\.$1\\.paths\\.reports-dir")"
    echo "${own:-$REPORTS_DIR/$1}"
}
declare -A BEFORE_PAIR=()
for p in $RUN_PAIRS; do BEFORE_PAIR[$p]="$(newest_report "$(pair_reports_dir "$p")")"; done
BEFORE="$(newest_report)"
DRY_RUN=0
case " ${PASS[*]:-} " in *" --dry-run "*) DRY_RUN=1; echo "🧪 Mode simulation (--dry-run) : rien ne sera écrit." ;; esac
say "🚀 Synchronisation en cours... (journal technique : $PROJECT_DIR/$RUN_LOG)"
START_MARK="$(date '+%Y-%m-%d %H:%M:%S')"
{ echo; echo "===== $START_MARK bin/run_sync.sh ${PASS[*]:-}"; } >> "$RUN_LOG"
if [ "$VERBOSE" = 1 ] && [ "$CRON" = 0 ]; then
    java -jar "$JAR" --once ${PASS[@]+"${PASS[@]}"} 2>&1 | tee -a "$RUN_LOG"
    CODE=${PIPESTATUS[0]}
else
    java -jar "$JAR" --once ${PASS[@]+"${PASS[@]}"} >> "$RUN_LOG" 2>&1
    CODE=$?
fi
say

# the command to run again, as the reader would paste it (with --sandbox when this run used the sandbox)
AGAIN="bin/run_sync.sh"
[ "$SANDBOX" = 1 ] && AGAIN="$AGAIN --sandbox"
case "$CODE" in
    0) if [ "$DRY_RUN" = 1 ]; then
           echo "✅ Simulation terminée : rien n'a été écrit. Le plan est dans le rapport ; pour l'appliquer : $AGAIN"
       else
           echo "✅ Synchronisation terminée avec succès."
       fi ;;
    1) echo "⚠️ Synchronisation terminée, mais des écritures de contacts ont échoué : les autres contacts sont à jour."
       echo "   La raison de chaque échec est dans le rapport (section « DÉTAILS DES OPÉRATIONS », lignes ❌ ERREUR) ;"
       echo "   la prochaine synchronisation réessaie ces contacts." ;;
    2) echo "❌ Synchronisation impossible : erreur de configuration ou de connexion."
       echo "   Dernières lignes du journal ($RUN_LOG) :"
       THIS_RUN="$(awk -v m="===== $START_MARK" 'index($0, m) == 1 { keep = 1 } keep' "$RUN_LOG" | grep -v '^=====')"
       IMPORTANT="$(printf '%s\n' "$THIS_RUN" | grep -E '❌|^Configuration error|^Erreur de configuration|^[^[:space:]]+ [^[:space:]]+ ERROR .* - [^F]' | cut -c1-300 | tail -n 6)"
       printf '%s\n' "${IMPORTANT:-$(printf '%s\n' "$THIS_RUN" | tail -n 10)}" | sed 's/^/   │ /'
       echo "   Voir « Résolution des problèmes » dans docs/DOCUMENTATION.md." ;;
    3) echo "⛔ Plan bloqué par le frein de sécurité : rien n'a été écrit dans Copper ni Mailchimp."
       echo "   Relisez le plan dans le rapport (section « PLAN BLOQUÉ PAR LE FREIN DE SÉCURITÉ »),"
       echo "   puis, s'il est juste : $AGAIN --confirm-plan" ;;
    4) echo "⏭️ Une autre synchronisation était déjà en cours (service permanent ou tâche planifiée) :"
       echo "   celle-ci n'a pas été lancée. L'autre produit son propre rapport." ;;
    5) echo "⚠️ Synchronisation faite, mais les rapports n'ont pas pu être écrits dans $REPORTS_DIR/"
       echo "   (disque plein ? dossier protégé ?). Les contacts, eux, sont à jour. Journal : $RUN_LOG" ;;
    *) echo "❌ Le programme s'est arrêté de façon inattendue (code $CODE). Journal : $RUN_LOG" ;;
esac
if [ -n "$RUN_PAIRS" ]; then
    # the message above is the worst pair's: each pair's own result, as the program said it (in its language)
    echo "   Résultat par paire :"
    THIS_RUN="$(awk -v m="===== $START_MARK" 'index($0, m) == 1 { keep = 1 } keep' "$RUN_LOG")"
    for p in $RUN_PAIRS; do
        LINE="$(printf '%s\n' "$THIS_RUN" | grep -v '━━' | grep -oE "Pair(e $p :| $p:) .*" | tail -n 1)"
        echo "   • ${LINE:-Paire $p : pas de résultat (voir le journal $RUN_LOG)}"
    done
fi
echo

# Résumé du rapport de cette exécution (s'il y en a un) : un par paire quand plusieurs audiences sont déclarées
if [ -n "$RUN_PAIRS" ]; then
    for p in $RUN_PAIRS; do
        DIR="$(pair_reports_dir "$p")"
        AFTER="$(newest_report "$DIR")"
        echo "━━ Paire $p"
        if [ -n "$AFTER" ] && [ "$AFTER" != "${BEFORE_PAIR[$p]:-}" ]; then
            java -jar "$JAR" report summary "$AFTER" 2>&1 || true
        else
            echo "ℹ️ Aucun nouveau rapport dans $DIR/ pour la paire $p."
        fi
        echo
    done
    say "📄 Journal technique : $PROJECT_DIR/$RUN_LOG"
    exit "$CODE"
fi
AFTER="$(newest_report)"
if [ -n "$AFTER" ] && [ "$AFTER" != "$BEFORE" ]; then
    java -jar "$JAR" report summary "$AFTER" 2>&1 || true
else
    echo "ℹ️ Aucun nouveau rapport dans $REPORTS_DIR/ (si une autre synchronisation était en cours, elle produit le sien)."
fi
say
say "📄 Journal technique : $PROJECT_DIR/$RUN_LOG"
exit "$CODE"
