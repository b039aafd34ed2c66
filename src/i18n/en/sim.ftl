# What every simulator (`vmlab sim ...`) shares: the frame of an exercise, grading,
# answers files and parameter errors.

sim-header = ━━ vmlab sim { $name } (seed { $seed }) ━━ simulated, not measured
sim-solution = Solution
sim-measured = Measured on this machine (not simulated)
sim-footer = Answer in a file, one line per question as 'NUMBER: ANSWER' (hex numbers with 0x; words in English or Spanish), and check it with --check FILE; or see the worked solution with --solve (same --seed { $seed }).

## Answers as the solution writes them (students may answer in either language).
sim-word-fault = fault
sim-word-hit = hit
sim-word-miss = miss
sim-word-fail = fail
sim-word-yes = yes
sim-word-no = no
sim-word-none = none
sim-word-null = NULL
sim-answer-evict = evict { $page }

## Grading.
sim-graded-against = graded against: { $command }
sim-against-defaults = { $command } (default parameters)
sim-against-params = { $command } (parameters other than the defaults: { $params })
sim-grade-right = right
sim-grade-wrong = wrong
sim-grade-no-answer = (no answer)
sim-grade-expected = { $given }  (expected { $expected })
sim-grade-expected-note = { $given }  (expected { $expected }; { $note })
sim-grade-score = { $right } of { $total } right ({ $percent }%)
sim-note-hex = write hex numbers with 0x

## Answers files and traces.
sim-file-too-large = { $path } is larger than { $limit }: not an answers file or trace vmlab reads
sim-file-binary = { $path } is not a text file (it has NUL bytes or is not UTF-8)
sim-answers-bad-line = answers file, line { $line } ('{ $text }'): { $why }
sim-answers-no-separator = expected 'NUMBER: ANSWER'
sim-answers-not-a-number = the question number is not a number
sim-answers-no-such-question = there is no question { $id } (questions { $first } to { $last })
sim-answers-twice = question { $id } is answered twice

## Parameter errors (after the flag's name).
sim-param-not-a-size = '{ $text }' is not a size (examples: 4096, 16k, 1m, 0x4000)
sim-param-zero = must be more than 0
sim-param-too-large = { $value } is too large (at most { $max }, 256 TiB)
sim-param-empty-entry = an empty entry in the list
sim-param-outside-space = { $address } is outside the address space (virtual addresses are 0 to { $last } = { $last_hex })
sim-param-too-many = at most { $max } addresses
sim-param-not-percent = { $value } is not a percentage (0 to 100)
sim-param-not-power-of-two = { $value } is not a power of two

## Notes on the addresses asked (relocate, multilevel, paging).
sim-no-addresses = (no addresses asked: --num 0)
sim-one-listed = (--addresses is a list of addresses; to ask for N random ones, use -n N)

## Fit policies (segment placement, free lists).
sim-fit-first = first fit
sim-fit-best = best fit
sim-fit-worst = worst fit
sim-fit-next = next fit
sim-fit-first-rule = the first free chunk that is big enough, from the head of the list
sim-fit-best-rule = the smallest free chunk that is big enough (the first of equals)
sim-fit-worst-rule = the largest free chunk, if it is big enough (the first of equals)
sim-fit-next-rule = the first free chunk that is big enough, from where the last search stopped, wrapping round
