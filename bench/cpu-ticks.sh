# Sourced by the bench scripts (decision 22).
# CPU time (user + system, clock ticks of getconf CLK_TCK) a process has used; 0 for no pid or a
# process that is gone, so a backend exiting between pgrep and the read does not stop a run.
ticks() {
    local t=
    [ -n "${1:-}" ] && t=$(awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null)
    echo "${t:-0}"
}
# the system (kernel) part of it alone
sys_ticks() {
    local t=
    [ -n "${1:-}" ] && t=$(awk '{print $15}' "/proc/$1/stat" 2>/dev/null)
    echo "${t:-0}"
}
