module segmapbench/peers/fixed

go 1.26
