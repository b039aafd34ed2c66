# vm-isolation

isolation-summary = tres procesos, una dirección virtual, tres marcos; si uno se cae, los demás siguen
isolation-title = la misma dirección virtual, memoria distinta; una caída no sale de su proceso
isolation-about = Cada proceso tiene su propia tabla de páginas, así que una misma dirección virtual puede mapear un marco distinto en cada proceso, y lo que uno escribe no cambia la memoria de otro. Un proceso que falla solo se cae él: su padre y sus hermanos siguen ejecutando, con su memoria intacta.

isolation-first-child = primer hijo { $pid }
isolation-second-child = segundo hijo { $pid }
isolation-third-child = tercer hijo { $pid }
isolation-parent = padre { $pid }

## Pasos.
isolation-step-map = El padre busca una dirección que nadie use, { $addr }, y crea tres hijos con fork. Los dos primeros mapean cada uno una página propia justo ahí y escriben { $first } y { $second }; el tercero no mapea nada. Después el padre mapea una página propia en esa misma dirección y escribe { $parent }. El pagemap de cada proceso en { $addr }:
isolation-step-read = Cada uno vuelve a leer su página, cuando ya escribieron los tres: { $reads }.
isolation-step-crash = Ahora el tercer hijo escribe en { $addr }. En su propio espacio de direcciones no hay nada mapeado ahí, tengan lo que tengan los otros en esa dirección, así que la MMU no encuentra traducción y el kernel termina al hijo: { $ending }.
isolation-step-after = Después de la caída, el padre les pide a los otros dos hijos, por sus pipes, que vuelvan a leer sus páginas, y lee la suya: { $answers }. Sus páginas ahora:
isolation-no-page = sin página
isolation-no-answer = no responde
isolation-killed-by = terminado por { $signal }
isolation-exited = terminó normalmente con código { $code }: la escritura no produjo un fallo

## Por qué falta una evidencia.
isolation-map-failed = el proceso { $pid } no pudo mapear una página en la dirección: mmap falló con { $error }
isolation-not-asked = no se le preguntó: el proceso no tiene página en la dirección
isolation-page-unreadable = no se pudo leer el pagemap del proceso { $pid } después de la caída
isolation-crasher-gone = no se le pudo ordenar al tercer hijo que escribiera, o no se vio cómo terminó
isolation-no-crash = el tercer hijo no se cayó, así que no hubo caída a la cual sobrevivir

## Afirmaciones: el enunciado, y lo que predice la teoría.
isolation-own-values = en una misma dirección virtual, cada uno de tres procesos lee el valor que escribió, después de que escribieron los tres
    .theory = { $values }
isolation-three-frames = esa única dirección virtual mapea tres marcos distintos
    .theory = tres marcos (PFN) distintos
isolation-exclusive = cada uno de esos marcos lo mapea solo su proceso
    .theory = exclusiva = sí en los tres
isolation-exclusive-seen = { $exclusive } de { $total } páginas exclusivas
isolation-crash-signal = escribir en una dirección donde el proceso no tiene nada mapeado lo termina con SIGSEGV
    .theory = terminado por SIGSEGV
isolation-siblings-survive = después de la caída, los otros dos hijos siguen ejecutando, con su memoria intacta
    .theory = los dos responden y leen { $values }
isolation-parent-intact = después de la caída, la memoria del padre está intacta
    .theory = el padre sigue leyendo { $value }
