# vmlab ostep relocation.py

ostep-relocation-about = relocation.py: base and bounds. Translate each virtual address to a physical one (base + address) or say it is a segmentation violation (address ≥ limit).
ostep-relocation-opt-base = value of base register (-1: random, where the address space fits)
ostep-relocation-opt-limit = value of limit register (-1: random, a quarter to a half of the address space)
ostep-relocation-no-base = the limit ({ $limit }) leaves no room for the address space below the physical memory size ({ $psize }): no base fits. The script would draw bases forever (it hangs); give a smaller -l or a larger -p.
ostep-relocation-negative-limit = a negative limit ({ $limit }) bounds nothing: every address is out of bounds, as the script says. The limit is a size.
