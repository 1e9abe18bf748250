#!/usr/bin/env bash
# Synchronisation Copper ↔ Mailchimp : programmation automatique dans la crontab de l'utilisateur.
#   bin/setup_cron.sh                                  menu interactif
#   bin/setup_cron.sh --frequency hourly --yes         sans question (automatisation)
#   bin/setup_cron.sh --remove [--yes]                 supprime la tâche (et rien d'autre)
#   bin/setup_cron.sh --status                         affiche la tâche installée
set -u

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MARKER="# copper-mailchimp-sync"
JAR="target/copper-mailchimp-sync.jar"
LOG_FILE="$PROJECT_DIR/logs/sync_cron.log"

usage() {
    cat <<'USAGE'
Usage : bin/setup_cron.sh [--frequency FREQ] [--yes] | --remove [--yes] | --status | --help

Installe (ou remplace) dans votre crontab la tâche qui lance une synchronisation (--once) régulièrement.
La ligne installée est repérée par le commentaire « # copper-mailchimp-sync » ; rien d'autre n'est modifié.

  --frequency FREQ  15min (toutes les 15 minutes, recommandé), hourly (toutes les heures),
                    4h (toutes les 4 heures), twice-daily (8h et 20h), daily (tous les jours à 9h),
                    ou une expression cron à 5 champs entre guillemets, par ex. "30 7 * * 1-5"
  --yes, -y         ne pas demander de confirmation (remplace une tâche existante)
  --remove          supprimer la tâche de synchronisation de la crontab
  --status          afficher la tâche installée
  -h, --help        afficher cette aide

La tâche lance bin/run_sync.sh --cron : logs/sync_cron.log reçoit seulement le résultat de chaque exécution
et son résumé (quelques lignes), et tourne au-delà de 1 Mo (5 fichiers gardés : sync_cron.log.1 ... .5) ;
le journal technique du programme reste à part, dans logs/.
USAGE
}

FREQUENCY=""; YES=0; ACTION=install
while [ $# -gt 0 ]; do
    case "$1" in
        --frequency|-f)
            [ $# -ge 2 ] || { echo "❌ --frequency attend une valeur" >&2; exit 2; }
            FREQUENCY="$2"; shift ;;
        --frequency=*) FREQUENCY="${1#--frequency=}" ;;
        --yes|-y) YES=1 ;;
        --remove) ACTION=remove ;;
        --status|--list) ACTION=status ;;
        -h|--help) usage; exit 0 ;;
        *) echo "❌ Option inconnue : $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

confirm() {   # confirm "question" -> 0 si oui
    [ "$YES" = 1 ] && return 0
    local answer
    printf '%s [o/N] ' "$1"
    read -r answer || answer=""
    case "$answer" in o|O|oui|OUI|Oui|y|Y|yes) return 0 ;; *) return 1 ;; esac
}

if ! command -v crontab >/dev/null 2>&1; then
    echo "❌ La commande « crontab » est introuvable : installez cron (par exemple : sudo apt install cron)."
    echo "   Alternative sans cron : le service permanent (bin/run_sync.sh --daemon, ou docs/copper-mailchimp-sync.service)."
    exit 2
fi

current_table() { crontab -l 2>/dev/null || true; }
our_lines() { current_table | grep -E -- "${MARKER}\$" || true; }
other_lines() { current_table | grep -v -E -- "${MARKER}\$" || true; }

echo "================================================================"
echo "⚙️  PROGRAMMATION AUTOMATIQUE - SYNCHRONISATION COPPER ↔ MAILCHIMP"
echo "================================================================"

EXISTING="$(our_lines)"
LEGACY="$(current_table | grep -F 'run_sync_cron.sh' || true)"

if [ "$ACTION" = status ]; then
    if [ -n "$EXISTING" ]; then
        echo "✅ Synchronisation automatique active :"
        printf '   %s\n' "$EXISTING"
    else
        echo "ℹ️ Aucune synchronisation automatique programmée."
    fi
    [ -n "$LEGACY" ] && echo "⚠️ Ancien outil Python encore programmé : $LEGACY"
    exit 0
fi

if [ "$ACTION" = remove ]; then
    if [ -z "$EXISTING" ]; then
        echo "ℹ️ Aucune tâche « copper-mailchimp-sync » dans la crontab : rien à supprimer."
        exit 0
    fi
    echo "Tâche trouvée :"
    printf '   %s\n' "$EXISTING"
    if ! confirm "Supprimer cette tâche ?"; then
        echo "❌ Annulé : la crontab n'a pas été modifiée."
        exit 1
    fi
    KEPT="$(other_lines)"   # read the whole table before writing it back
    if ! { [ -n "$KEPT" ] && printf '%s\n' "$KEPT"; } | crontab -; then
        echo "❌ La crontab n'a pas pu être mise à jour."
        exit 2
    fi
    echo "✅ Synchronisation automatique supprimée (les autres tâches de la crontab sont intactes)."
    exit 0
fi

# ------------------------------------------------------------------ choix de la fréquence
if [ -z "$FREQUENCY" ]; then
    echo "Choisissez la fréquence de synchronisation :"
    echo "  1) Toutes les 15 minutes (recommandé)"
    echo "  2) Toutes les heures"
    echo "  3) Toutes les 4 heures"
    echo "  4) Deux fois par jour (8h et 20h)"
    echo "  5) Une fois par jour (9h)"
    echo "  6) Expression cron personnalisée"
    printf 'Votre choix [1-6] : '
    read -r CHOICE || CHOICE=""
    case "$CHOICE" in
        1) FREQUENCY=15min ;; 2) FREQUENCY=hourly ;; 3) FREQUENCY=4h ;;
        4) FREQUENCY=twice-daily ;; 5) FREQUENCY=daily ;;
        6) printf 'Expression cron (5 champs : minute heure jour mois jour-semaine), ex. "30 7 * * 1-5" : '
           read -r FREQUENCY || FREQUENCY="" ;;
        *) echo "❌ Choix invalide : « $CHOICE » (attendu : un chiffre de 1 à 6)."; exit 2 ;;
    esac
fi

case "$FREQUENCY" in
    15min|15m|15) SCHEDULE="*/15 * * * *"; LABEL="toutes les 15 minutes" ;;
    hourly|1h) SCHEDULE="0 * * * *"; LABEL="toutes les heures" ;;
    4h) SCHEDULE="0 */4 * * *"; LABEL="toutes les 4 heures" ;;
    twice-daily) SCHEDULE="0 8,20 * * *"; LABEL="à 8h et à 20h" ;;
    daily) SCHEDULE="0 9 * * *"; LABEL="tous les jours à 9h" ;;
    *)
        # expression personnalisée : exactement 5 champs cron classiques
        read -r -a FIELDS <<< "$FREQUENCY"
        VALID=1
        [ "${#FIELDS[@]}" -eq 5 ] || VALID=0
        for f in "${FIELDS[@]}"; do
            printf '%s' "$f" | grep -Eq '^[0-9A-Za-z*/,-]+$' || VALID=0
        done
        if [ "$VALID" != 1 ]; then
            echo "❌ Fréquence invalide : « $FREQUENCY »."
            echo "   Attendu : 15min, hourly, 4h, twice-daily, daily, ou 5 champs cron (ex. \"30 7 * * 1-5\")."
            exit 2
        fi
        SCHEDULE="${FIELDS[*]}"; LABEL="selon l'expression « $SCHEDULE »" ;;
esac

JAVA_BIN="$(command -v java || true)"
if [ -z "$JAVA_BIN" ]; then
    echo "⚠️ Java introuvable dans le PATH : la tâche utilisera « java » ; vérifiez qu'il est accessible à cron."
    JAVA_BIN=java
fi
if [ ! -f "$PROJECT_DIR/$JAR" ]; then
    echo "⚠️ $JAR n'existe pas encore : construisez-le (mvn -B -q package -DskipTests) ou lancez bin/run_sync.sh une fois."
fi
if [ ! -f "$PROJECT_DIR/.env" ]; then
    echo "⚠️ Pas de fichier .env dans $PROJECT_DIR : les synchronisations automatiques échoueront tant qu'il manque."
fi

q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
# cron's PATH is short: the java found now goes first. run_sync.sh writes the result and the summary to
# logs/sync_cron.log itself (rotated by size); cron's own redirection only catches what could not start.
JAVA_DIR="/usr/bin"; case "$JAVA_BIN" in */*) JAVA_DIR="$(dirname "$JAVA_BIN")" ;; esac
LINE="$SCHEDULE cd $(q "$PROJECT_DIR") && umask 077 && PATH=$(q "$JAVA_DIR"):/usr/local/bin:/usr/bin:/bin bin/run_sync.sh --cron >> $(q "$LOG_FILE") 2>&1 $MARKER"

if [ -n "$EXISTING" ]; then
    echo "⚠️ Une synchronisation automatique est déjà programmée :"
    printf '   %s\n' "$EXISTING"
    if ! confirm "La remplacer par une synchronisation $LABEL ?"; then
        echo "❌ Annulé : la tâche existante est conservée."
        exit 1
    fi
fi

mkdir -p "$PROJECT_DIR/logs"
KEPT="$(other_lines)"   # read the whole table before writing it back
if ! { [ -n "$KEPT" ] && printf '%s\n' "$KEPT"; printf '%s\n' "$LINE"; } | crontab -; then
    echo "❌ La crontab n'a pas pu être mise à jour."
    exit 2
fi
echo "✅ Synchronisation automatique programmée $LABEL."
echo "   Ligne installée : $LINE"
echo "   Journal : $LOG_FILE"
echo "   Voir la programmation : crontab -l   |   Supprimer : bin/setup_cron.sh --remove"
if [ -n "$LEGACY" ]; then
    echo "⚠️ L'ancien outil Python est encore programmé (ligne avec run_sync_cron.sh) :"
    printf '   %s\n' "$LEGACY"
    echo "   Supprimez-la (crontab -e) pour éviter deux synchronisations concurrentes."
fi
exit 0
