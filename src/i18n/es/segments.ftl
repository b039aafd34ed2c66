# vm-segments

segments-summary = text, data, bss, heap, zona de mmap y stack de un proceso vivo, en orden
