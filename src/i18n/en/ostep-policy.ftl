# vmlab ostep paging-policy.py: what vmlab adds (the script's own lines stay English).

ostep-policy-about = A reference string of pages through a page cache under a replacement policy (FIFO, LRU, MRU, OPT, UNOPT, RAND, CLOCK): for each access, hit or miss, and the cache afterwards. With -c, the trace and the hit rate; RAND and CLOCK draw from the seed while solving, as the script does.
ostep-policy-help-addresses = a set of comma-separated pages to access; -1 means randomly generate
ostep-policy-help-addressfile = a file with a bunch of addresses in it
ostep-policy-help-numaddrs = if -a (--addresses) is -1, this is the number of addrs to generate
ostep-policy-help-policy = replacement policy: FIFO, LRU, OPT, UNOPT, RAND, CLOCK
ostep-policy-help-clockbits = for CLOCK policy, how many clock bits to use
ostep-policy-help-cachesize = size of the page cache, in pages
ostep-policy-help-maxpage = if randomly generating page accesses, this is the max page number
ostep-policy-help-seed = random number seed
ostep-policy-help-notrace = do not print out a detailed trace
ostep-policy-help-solve = compute answers for me
ostep-policy-not-int = { $option }: '{ $value }' is not an integer (paging-policy.py stops here with a ValueError)
ostep-policy-no-file = cannot read the address file { $file }: { $why }
ostep-policy-too-many = { $num } page references are too many: at most { $max }
ostep-policy-cache-zero = a cache of 0 pages holds nothing (paging-policy.py stops with an IndexError at the first access); give -C 1 or more
ostep-policy-no-refs = there are no page references to solve (paging-policy.py stops with a ZeroDivisionError computing the hit rate)
ostep-policy-cache-negative = a cache of { $size } pages makes no sense: paging-policy.py never finds it full, so it never replaces a page; the answers below are what it prints
ostep-policy-question = Access to page { $page }: hit, miss, or which page is evicted?
ostep-policy-trace-large = the trace would print more than { $max } pages (accesses times the cache size); give -N for the counts only, or fewer accesses
ostep-policy-minus-one = paging-policy.py says '{ $line }': it uses -1 to mean no page, so evicting page -1 prints as if nothing was replaced.
