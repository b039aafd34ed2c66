# vm-translate

translate-summary = DV = VPN + desplazamiento → marco + desplazamiento, en el ejemplo del apunte y en una página real
