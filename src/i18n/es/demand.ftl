# vm-demand

demand-summary = paginación por demanda: la memoria se mapea enseguida, pero recibe marcos solo al tocarla
