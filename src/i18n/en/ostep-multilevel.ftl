# vmlab ostep paging-multilevel-translate.py: what vmlab adds (the script's own lines stay English).

ostep-multilevel-about = A two-level page table in 4 KiB of physical memory (128 pages of 32 bytes, one-byte entries: a valid bit and a 7-bit PFN) for a 32 KiB address space: the memory dump, the PDBR, and virtual addresses to translate by walking the directory and a page table. With -c, the walks and the byte each address loads.
ostep-multilevel-help-seed = the random seed
ostep-multilevel-help-allocated = number of virtual pages allocated
ostep-multilevel-help-num = number of virtual addresses to generate
ostep-multilevel-help-solve = compute answers for me
ostep-multilevel-out-of-frames = with -a { $allocated }, the pages and their page tables need more than the 128 physical pages (paging-multilevel-translate.py stops here with an AssertionError); allocate fewer pages
ostep-multilevel-too-many = -n { $num } addresses are too many: at most { $max }
ostep-multilevel-question = Virtual address { $va }: physical address, or fault?
