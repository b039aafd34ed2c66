# vm-isolation

isolation-summary = dos procesos, una dirección virtual, dos marcos: ninguno ve al otro
