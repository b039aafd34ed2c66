# vm-shared

shared-summary = marcos compartidos a propósito: memoria compartida, archivos, bibliotecas, KSM
