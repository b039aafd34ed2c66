# vm-tlb

tlb-summary = the TLB, measured: time per access against pages touched, and where it jumps
