# vm-shared

shared-summary = sharing frames on purpose: shared memory, files, libraries, KSM
