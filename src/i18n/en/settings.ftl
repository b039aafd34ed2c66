# System settings changed for a moment (src/settings), and put back.

settings-signal-restored = interrupted by { $signal }; the system settings this run had changed are back as they were: { $settings }
settings-signal-failed = some settings could not be written back: { $journal } keeps them, and the next vmlab run as root puts them back
settings-recovered = a vmlab run ({ $program }, pid { $pid }) ended without putting back the system settings it had changed (it was killed with SIGKILL, or crashed); they are back as they were: { $settings }
settings-recover-failed = a vmlab run (pid { $pid }) left { $path } changed, and writing back { $value } failed: { $why }; { $journal } keeps it, and the next vmlab run as root tries again
settings-recover-stale = the journal of vmlab run { $pid } ({ $program }) dates from before the last reboot, which put its settings back; it was removed
settings-recover-busy = a vmlab run (pid { $pid }) left settings under { $turn } changed, but another program is changing them now; a later vmlab run puts them back
settings-recover-untrusted = vmlab does not trust { $path } ({ $why }) and left it as it is; look at it, and remove it if it is not vmlab's
settings-recover-needs-root = a vmlab run (pid { $pid }) ended without putting back system settings it had changed; any vmlab command run as root (for instance `sudo vmlab demos`) puts them back

## Why a setting cannot be changed, or a journal not trusted.
settings-not-a-setting = vmlab changes only files under /sys and /proc/sys, inside the directory whose turn it holds
settings-too-many = more than { $max } settings changed at once
settings-no-own-stat = /proc/self/stat could not be read
settings-no-boot-id = /proc/sys/kernel/random/boot_id could not be read
settings-journal-dir-not-dir = it is not a directory
settings-journal-owner = it belongs to uid { $uid }, not to uid { $me }
settings-journal-mode = its mode is { $mode }: others may change it, or read it
settings-journal-not-file = it is not a regular file
settings-journal-too-big = it is larger than { $bytes } bytes
settings-journal-not-json = it is not a journal: { $detail }
settings-journal-not-ours = it is not a vmlab journal, or not named after its writer
settings-journal-taken = an earlier run with the same pid left this journal, which could not be repaired yet
settings-journal-bad-path = it names { $path }, outside /sys and /proc/sys or outside its turn
