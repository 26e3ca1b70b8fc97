package kz.lib.regions_test

import data.kz.lib.regions

test_regions_and_zones if {
	regions.region("aws", "eu-central-1") == "eu-central-1"
	regions.region("aws", "eu-central-1a") == "eu-central-1"
	regions.region("aws", "us-east-1-bos-1a") == "us-east-1"
	regions.region("google", "EUROPE-WEST3") == "europe-west3"
	regions.region("google", "europe-west10-b") == "europe-west10"
	regions.region("google", "europe-west1-b") == "europe-west1"
	regions.region("google", "regional-europe-west3") == "europe-west3"
	regions.region("google", "EU") == "eu"
	regions.region("azure", "West Europe") == "westeurope"
	regions.region("azure", "germanywestcentral") == "germanywestcentral"
	regions.region("yandex", "kz1-a") == "kz1"
	regions.region("yandex", "ru-central1-d") == "ru-central1"
}

test_unknown_regions_are_undefined if {
	not regions.region("aws", "eu-central-9")
	not regions.region("aws", "kz-almaty-1")
	not regions.region("google", "asia")
	not regions.region("azure", "1")
	not regions.region("yandex", "il1-a")
}

test_jurisdictions if {
	regions.jurisdiction("aws", "eu-central-1") == "DE"
	regions.jurisdiction("google", "me-central2") == "SA"
	regions.jurisdiction("azure", "uksouth") == "GB"
	regions.jurisdiction("yandex", "kz1") == "KZ"
	regions.jurisdiction("yandex", "ru-central1") == "RU"
}

test_only_yandex_has_a_kazakh_region if {
	{[c, r] | some c, t in regions.tables; some r, v in t; v[0] == "KZ"} == {["yandex", "kz1"]}
}

test_atlas_region_names if {
	regions.atlas_region("AWS", "EU_CENTRAL_1") == ["aws", "eu-central-1"]
	regions.atlas_region("GCP", "EUROPE_WEST_3") == ["google", "europe-west3"]
	regions.atlas_region("GCP", "CENTRAL_US") == ["google", "us-central1"]
	regions.atlas_region("GCP", "NORTH_AMERICA_NORTHEAST_1") == ["google", "northamerica-northeast1"]
	regions.atlas_region("AZURE", "EUROPE_NORTH") == ["azure", "northeurope"]
	regions.atlas_region("AZURE", "US_EAST_2") == ["azure", "eastus2"]
	regions.atlas_region("AZURE", "GERMANY_WEST_CENTRAL") == ["azure", "germanywestcentral"]
	regions.atlas_region("AZURE", "ASIA_SOUTH_EAST") == ["azure", "southeastasia"]
	not regions.atlas_region("AWS", "MARS_1")
}
