# vm-isolation

isolation-summary = two processes, one virtual address, two frames: neither sees the other
