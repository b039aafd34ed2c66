# vm-segments

segments-summary = text, data, bss, heap, mmap area and stack of a live process, in order
