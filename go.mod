module headshot

go 1.26.8
