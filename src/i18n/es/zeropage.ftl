# vm-zeropage

zeropage-summary = leer memoria nunca escrita mapea la única página de ceros que comparte el kernel
