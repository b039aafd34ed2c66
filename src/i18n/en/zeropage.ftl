# vm-zeropage

zeropage-summary = reading never-written memory maps the kernel's one shared zero page
