# vmlab ostep paging-linear-translate.py

ostep-paging-linear-about = paging-linear-translate.py: a linear page table. Translate each virtual address through the table (VPN = address / page size; the entry's top bit says whether it is valid, the rest is the PFN) or say it is invalid.
ostep-paging-linear-opt-pagesize = page size (e.g., 4k, 8k, whatever)
ostep-paging-linear-opt-used = percent of virtual address space that is used
ostep-paging-linear-opt-verbose = verbose mode: print the VPN beside each entry of the page table
ostep-paging-linear-bad-pagesize = -P { $value }: the page size must be positive (the script crashes on it with a Python error)
ostep-paging-linear-outside = this address is past the end of the address space ({ $asize } bytes): there is no page-table entry for it, and the access faults. The script crashes here (IndexError).
ostep-paging-linear-aliased = this address is past the end of the address space ({ $asize } bytes): there is no page-table entry for it, and the access faults. The script keeps only 32 bits of the VPN and answers with the entry of VPN { $vpn }.
