# vm-faultcost

faultcost-summary = lo que cuesta un fallo de página, frente a un acceso a una página presente
