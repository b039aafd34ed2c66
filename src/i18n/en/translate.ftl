# vm-translate

translate-summary = VA = VPN + offset → PFN + offset, on the textbook example and a real page
