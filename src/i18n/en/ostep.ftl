# vmlab ostep: what vmlab adds around the OSTEP scripts' own (English) output.

ostep-note = >> vmlab: { $text }
ostep-unknown-script = unknown script '{ $name }'. The scripts are: { $known }
ostep-unknown-script-suggest = unknown script '{ $name }': did you mean '{ $suggestion }'? The scripts are: { $known }
ostep-option-needs-value = option { $option } requires an argument
ostep-option-takes-no-value = option { $option } does not take a value
ostep-no-such-option = no such option: { $option }
ostep-ambiguous-option = ambiguous option: { $option } (could be { $candidates })
ostep-bad-integer = option { $option }: invalid integer value: '{ $value }'
ostep-help-usage = Usage: vmlab ostep { $script } [options]
ostep-help-options = Options:
ostep-help-help = show this help message and exit
ostep-help-check = grade the answers in FILE (one a line, numbered as the script numbers them: 'VA 0: 0x000033ab', 'VA 1: SEGMENTATION VIOLATION'; English or Spanish words) against the problem of these flags: exit 0 when all are right, 1 when some are wrong, 2 when the file is malformed
ostep-help-lang = the language of what vmlab adds (en or es); the script's own output stays English, as the script prints it
ostep-help-default = { $text } (default: { $default })
ostep-help-footer = The same flags, seed and output as the OSTEP script; the answers come from vmlab's simulators. Where the script is wrong, vmlab prints the right answer and a line marked '>> vmlab:' saying what the script says and why.
ostep-not-yet = { $name } is not available yet in this build of vmlab
ostep-bad-size = { $flag } '{ $value }' is not a size: write a whole number, optionally followed by k, m or g (the script stops here with a Python ValueError)
ostep-negative = { $flag } { $value } is negative: a size or an address cannot be (the script goes on and prints meaningless numbers)
ostep-opt-seed = the random seed
ostep-opt-asize = address space size (e.g., 16, 64k, 32m, 1g)
ostep-opt-physmem = physical memory size (e.g., 16, 64k, 32m, 1g)
ostep-opt-num = number of virtual addresses to generate
ostep-opt-compute = compute answers for me
