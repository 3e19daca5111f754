print("zkml")
