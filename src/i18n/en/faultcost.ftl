# vm-faultcost

faultcost-summary = what a page fault costs, against an access to a present page
