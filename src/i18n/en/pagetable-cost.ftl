# vm-pagetable-cost

pagetable-cost-summary = the space page tables cost: dense vs sparse, and why tables have levels
