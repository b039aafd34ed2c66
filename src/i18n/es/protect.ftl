# vm-protect

protect-summary = protección de memoria: cada acceso prohibido falla con la señal y el código que predice la teoría
