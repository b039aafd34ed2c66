# vm-dirty

dirty-summary = los bits de modificado (dirty) y de acceso de una entrada de la tabla de páginas, tal como los muestra Linux
