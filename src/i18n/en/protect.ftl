# vm-protect

protect-summary = memory protection: each forbidden access faults with the signal and code theory predicts
