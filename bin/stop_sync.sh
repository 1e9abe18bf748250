#!/usr/bin/env bash
# Synchronisation Copper ↔ Mailchimp : arrêt propre du service permanent (démon).
#   bin/stop_sync.sh [--timeout SECONDES] [--force] [--pid-file FICHIER]
# Envoie SIGTERM au démon nommé dans data/daemon.pid : Camel s'arrête proprement et laisse une
# synchronisation en cours se terminer (camel.main.shutdown-timeout). Codes : 0 arrêté ou rien à arrêter,
# 1 toujours en cours après le délai.
set -u

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TIMEOUT=90; FORCE=0; PID_FILE=""

usage() {
    cat <<'USAGE'
Usage : bin/stop_sync.sh [--timeout SECONDES] [--force] [--pid-file FICHIER]

Arrête proprement le service permanent lancé par « java -jar target/copper-mailchimp-sync.jar »
(ou bin/run_sync.sh --daemon) : une synchronisation en cours peut se terminer.

  --timeout N       attendre au plus N secondes l'arrêt (défaut : 90)
  --force           si le délai est dépassé, forcer l'arrêt (SIGKILL)
  --pid-file F      fichier pid (défaut : <paths.data-dir>/daemon.pid, soit data/daemon.pid)
  -h, --help        afficher cette aide
USAGE
}

while [ $# -gt 0 ]; do
    case "$1" in
        --timeout) [ $# -ge 2 ] || { echo "❌ --timeout attend un nombre de secondes" >&2; exit 2; }; TIMEOUT="$2"; shift ;;
        --timeout=*) TIMEOUT="${1#--timeout=}" ;;
        --force) FORCE=1 ;;
        --pid-file) [ $# -ge 2 ] || { echo "❌ --pid-file attend un fichier" >&2; exit 2; }; PID_FILE="$2"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "❌ Option inconnue : $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
case "$TIMEOUT" in ''|*[!0-9]*) echo "❌ --timeout : nombre de secondes attendu, reçu « $TIMEOUT »" >&2; exit 2 ;; esac

cd "$PROJECT_DIR" || exit 2
if [ -z "$PID_FILE" ]; then
    DATA_DIR="$(sed -n 's/^[[:space:]]*paths\.data-dir[[:space:]]*=[[:space:]]*//p' config/application.properties 2>/dev/null | tail -1 | sed 's/[[:space:]]*$//')"
    PID_FILE="${DATA_DIR:-data}/daemon.pid"
fi

echo "🛑 Arrêt du service de synchronisation Copper ↔ Mailchimp"
if [ ! -f "$PID_FILE" ]; then
    echo "ℹ️ Aucun service en cours ($PID_FILE absent)."
    exit 0
fi
PID="$(tr -dc '0-9' < "$PID_FILE")"
if [ -z "$PID" ]; then
    echo "⚠️ $PID_FILE ne contient pas de numéro de processus : fichier supprimé."
    rm -f "$PID_FILE"
    exit 0
fi
if ! kill -0 "$PID" 2>/dev/null; then
    echo "ℹ️ Le service (pid $PID) n'est plus en cours : ancien fichier $PID_FILE supprimé."
    rm -f "$PID_FILE"
    exit 0
fi
COMMAND="$(ps -p "$PID" -o args= 2>/dev/null || tr '\0' ' ' < "/proc/$PID/cmdline" 2>/dev/null || true)"
case "$COMMAND" in
    *copper-mailchimp-sync*|*io.cmsync*) ;;
    *)
        echo "⚠️ Le pid $PID ($COMMAND) n'est pas ce programme : fichier $PID_FILE périmé supprimé, rien n'est arrêté."
        rm -f "$PID_FILE"
        exit 0 ;;
esac

echo "⏳ Envoi de la demande d'arrêt (SIGTERM) au processus $PID ; une synchronisation en cours peut se terminer (au plus ${TIMEOUT} s)..."
kill -TERM "$PID" 2>/dev/null || true
alive() {   # vivant et pas zombie
    kill -0 "$1" 2>/dev/null || return 1
    case "$(ps -p "$1" -o stat= 2>/dev/null)" in Z*) return 1 ;; esac
    return 0
}
WAITED=0
while alive "$PID"; do
    if [ "$WAITED" -ge $((TIMEOUT * 5)) ]; then
        if [ "$FORCE" = 1 ]; then
            echo "⚠️ Toujours en cours après ${TIMEOUT} s : arrêt forcé (SIGKILL)."
            kill -KILL "$PID" 2>/dev/null || true
            sleep 1
            rm -f "$PID_FILE"
            echo "✅ Service arrêté (forcé)."
            exit 0
        fi
        echo "❌ Le service (pid $PID) tourne toujours après ${TIMEOUT} s."
        echo "   Réessayez avec un délai plus long (--timeout 300) ou forcez : bin/stop_sync.sh --force"
        exit 1
    fi
    sleep 0.2
    WAITED=$((WAITED + 1))
done
# le démon supprime lui-même son fichier pid ; au cas où il aurait été tué avant
[ -f "$PID_FILE" ] && [ "$(tr -dc '0-9' < "$PID_FILE")" = "$PID" ] && rm -f "$PID_FILE"
echo "✅ Service arrêté proprement (après $((WAITED / 5)) s)."
exit 0
