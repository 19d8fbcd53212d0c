"""Can we bid? The facts a small supplier needs before deciding: lots, conditions of participation, contract
terms, how bids are judged and what social value is asked for; and how a supplier's organisation fits them."""
