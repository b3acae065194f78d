# Sourced by the bench scripts (decision 22).
# CPU time (clock ticks of getconf CLK_TCK) a process has used: user + system by ticks, system
# (kernel) alone by sys_ticks; 0 for no pid or a process that is gone, so a backend exiting between
# pgrep and the read does not stop a run.
stat_ticks() { # pid awk-expression over /proc/PID/stat fields
    local t=
    [ -n "${1:-}" ] && t=$(awk "{print $2}" "/proc/$1/stat" 2>/dev/null)
    echo "${t:-0}"
}
ticks() { stat_ticks "${1:-}" '$14 + $15'; }
sys_ticks() { stat_ticks "${1:-}" '$15'; }
